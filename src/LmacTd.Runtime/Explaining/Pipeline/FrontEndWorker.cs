using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>One thread's front-end tools for the evidence run: a log-mel extractor and, made on first use, an STFT.</summary>
internal sealed class FrontEndWorker(FrontEndSettings settings, MelFilterbank filterbank)
{
    private Stft? _stft;

    public LogMelExtractor LogMel { get; } = new(settings, filterbank);

    public Stft Stft => _stft ??= new Stft(settings.Stft);

    public FrontEndSettings Settings => settings;
}

using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>One thread's front-end tools for the evidence run: a log-mel extractor and its STFT.</summary>
internal sealed class FrontEndWorker(LogMelExtractor logMel)
{
    public LogMelExtractor LogMel => logMel;

    public Stft Stft => logMel.Stft;

    public FrontEndSettings Settings => logMel.Settings;
}

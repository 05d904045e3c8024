using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Features;

/// <summary>
/// The classifier's front end: centred STFT, eps-magnitude, HTK mel filterbank, <c>log1p</c>; layout
/// <c>[frames, nMels]</c>. Writes into caller buffers with no allocation per frame; an instance owns scratch
/// buffers, so use one per thread (the filterbank may be shared).
/// </summary>
internal sealed class LogMelExtractor
{
    private readonly Stft _stft;
    private readonly float[] _magnitude;
    private readonly float[] _mel;

    /// <summary>Prepares the front end <paramref name="settings"/> describes.</summary>
    /// <param name="settings">The front end.</param>
    /// <param name="filterbank">A filterbank built for <paramref name="settings"/> to share; built here when null.</param>
    public LogMelExtractor(FrontEndSettings settings, MelFilterbank? filterbank = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        Filterbank = filterbank ?? MelFilterbank.For(settings);
        if (Filterbank.Bins != settings.Stft.Bins || Filterbank.MelCount != settings.NMels)
            throw new ArgumentException("the filterbank was built for other settings", nameof(filterbank));
        _stft = new Stft(settings.Stft);
        _magnitude = new float[settings.Stft.Bins];
        _mel = new float[settings.NMels];
    }

    /// <summary>The settings.</summary>
    public FrontEndSettings Settings { get; }

    /// <summary>The filterbank in use.</summary>
    public MelFilterbank Filterbank { get; }

    /// <summary>Frames for a signal of <paramref name="samples"/> samples.</summary>
    public int FrameCount(int samples) => Settings.Stft.FramesFor(samples);

    /// <summary>Computes log-mel frame <paramref name="frame"/> of <paramref name="signal"/> into <paramref name="output"/> (nMels values).</summary>
    public void ProcessFrame(ReadOnlySpan<float> signal, int frame, Span<float> output)
    {
        _stft.ProcessFrameMagnitude(signal, frame, _magnitude);
        FromMagnitude(_magnitude, output);
    }

    /// <summary>Computes the whole log-mel of <paramref name="signal"/> into <paramref name="output"/> (<c>frames * nMels</c>, frame-major).</summary>
    public void Process(ReadOnlySpan<float> signal, Span<float> output)
    {
        int frames = FrameCount(signal.Length), mels = Settings.NMels;
        if (output.Length < frames * mels) throw new ArgumentException($"need {frames * mels} values", nameof(output));
        for (int t = 0; t < frames; t++) ProcessFrame(signal, t, output.Slice(t * mels, mels));
    }

    /// <summary>
    /// The log-mel of a magnitude spectrogram given frame-major (<c>frames * bins</c>), skipping the STFT: how L-MAC's
    /// masked spectrograms reach the classifier (contract step 7).
    /// </summary>
    public void ProcessMagnitudes(ReadOnlySpan<float> magnitudes, int frames, Span<float> output)
    {
        int bins = Settings.Stft.Bins, mels = Settings.NMels;
        if (magnitudes.Length < frames * bins) throw new ArgumentException($"need {frames * bins} magnitudes", nameof(magnitudes));
        if (output.Length < frames * mels) throw new ArgumentException($"need {frames * mels} values", nameof(output));
        for (int t = 0; t < frames; t++) FromMagnitude(magnitudes.Slice(t * bins, bins), output.Slice(t * mels, mels));
    }

    private void FromMagnitude(ReadOnlySpan<float> magnitude, Span<float> output)
    {
        Filterbank.Apply(magnitude, _mel);
        for (int m = 0; m < _mel.Length; m++) output[m] = (float)Math.Log(1 + (double)_mel[m]);
    }
}

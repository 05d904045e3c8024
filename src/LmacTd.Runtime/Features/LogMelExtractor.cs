using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Features;

/// <summary>
/// The classifier's front end: centred STFT, eps-magnitude, HTK mel filterbank, <c>log1p</c>; layout
/// <c>[frames, nMels]</c>. Writes into caller buffers with no allocation per frame; an instance owns scratch
/// buffers, so use one per thread (the filterbank may be shared).
/// </summary>
internal sealed class LogMelExtractor
{
    private readonly float[] _magnitude;

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
        Stft = new Stft(settings.Stft);
        _magnitude = new float[LaneFft.Lanes * settings.Stft.Bins];
    }

    /// <summary>The settings.</summary>
    public FrontEndSettings Settings { get; }

    /// <summary>The filterbank in use.</summary>
    public MelFilterbank Filterbank { get; }

    /// <summary>The STFT this extractor runs (its scratch is the extractor's: same thread only).</summary>
    public Stft Stft { get; }

    /// <summary>Frames for a signal of <paramref name="samples"/> samples.</summary>
    public int FrameCount(int samples) => Settings.Stft.FramesFor(samples);

    /// <summary>Computes log-mel frame <paramref name="frame"/> of <paramref name="signal"/> into <paramref name="output"/> (nMels values).</summary>
    public void ProcessFrame(ReadOnlySpan<float> signal, int frame, Span<float> output)
    {
        if (output.Length < Settings.NMels) throw new ArgumentException($"need {Settings.NMels} values", nameof(output));
        Stft.ProcessFrameMagnitude(signal, frame, _magnitude);
        FromMagnitudes(_magnitude, 1, output[..Settings.NMels]);
    }

    /// <summary>Computes the whole log-mel of <paramref name="signal"/> into <paramref name="output"/> (<c>frames * nMels</c>, frame-major).</summary>
    public void Process(ReadOnlySpan<float> signal, Span<float> output) => Process(signal, 0, FrameCount(signal.Length), output);

    /// <summary>
    /// Computes log-mel frames <paramref name="first"/> to <c>first + count - 1</c> of <paramref name="signal"/> into
    /// <paramref name="output"/> (<c>count * nMels</c>, frame-major): a share of <see cref="Process(ReadOnlySpan{float}, Span{float})"/>'s
    /// work, the same numbers, so that threads can split one signal.
    /// </summary>
    public void Process(ReadOnlySpan<float> signal, int first, int count, Span<float> output)
    {
        int mels = Settings.NMels, bins = Settings.Stft.Bins, lanes = LaneFft.Lanes;
        if (output.Length < count * mels) throw new ArgumentException($"need {count * mels} values", nameof(output));
        for (int t = 0; t < count; t += lanes)
        {
            int n = Math.Min(lanes, count - t);
            Stft.ProcessMagnitudes(signal, first + t, n, _magnitude);
            FromMagnitudes(_magnitude, n, output.Slice(t * mels, n * mels));
        }
    }

    /// <summary>
    /// The log-mel of a magnitude spectrogram given frame-major (<c>frames * bins</c>), skipping the STFT: how L-MAC's
    /// masked spectrograms reach the classifier (contract step 7).
    /// </summary>
    public void ProcessMagnitudes(ReadOnlySpan<float> magnitudes, int frames, Span<float> output)
    {
        // The filterbank checks the magnitudes' length; the output is checked here, before it is sliced.
        int mels = Settings.NMels;
        if (output.Length < frames * mels) throw new ArgumentException($"need {frames * mels} values", nameof(output));
        FromMagnitudes(magnitudes, frames, output[..(frames * mels)]);
    }

    private void FromMagnitudes(ReadOnlySpan<float> magnitudes, int frames, Span<float> output)
    {
        Filterbank.ApplyFrames(magnitudes, frames, output);
        Log1p.InPlace(output);
    }
}

using LmacTd.Runtime.Packages;
using NWaves.Transforms;

namespace LmacTd.Runtime.Features;

/// <summary>
/// The contract's centred STFT (step 4) over NWaves' real FFT: <c>nFft/2</c> zeros on both sides of the signal,
/// periodic Hamming window centred in each frame, one-sided. Frames are computed on demand into caller
/// buffers; an instance owns scratch buffers, so use one per thread. The FFT runs in double precision so that
/// the runtime's own rounding stays well below the reference's float32 rounding.
/// </summary>
internal sealed class Stft
{
    private readonly RealFft64 _fft;
    private readonly double[] _window;
    private readonly double[] _frame;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly int _winOffset;

    /// <summary>Prepares an STFT with <paramref name="settings"/>.</summary>
    public Stft(StftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _fft = new RealFft64(settings.NFft);
        _window = Windows.HammingPeriodicDouble(settings.WinLength, settings.NFft);
        _winOffset = (settings.NFft - settings.WinLength) / 2;
        _frame = new double[settings.NFft];
        _re = new double[settings.Bins];
        _im = new double[settings.Bins];
    }

    /// <summary>The settings.</summary>
    public StftSettings Settings { get; }

    /// <summary>Frames over a signal of <paramref name="samples"/> samples.</summary>
    public int FrameCount(int samples) => Settings.FramesFor(samples);

    /// <summary>Computes frame <paramref name="frame"/> of <paramref name="signal"/> into <paramref name="re"/> and <paramref name="im"/> (<c>Bins</c> each).</summary>
    public void ProcessFrame(ReadOnlySpan<float> signal, int frame, Span<float> re, Span<float> im)
    {
        int bins = Settings.Bins;
        if (re.Length < bins || im.Length < bins) throw new ArgumentException($"need {bins} bins in re and im");
        Transform(signal, frame);
        for (int k = 0; k < bins; k++)
        {
            re[k] = (float)_re[k];
            im[k] = (float)_im[k];
        }
    }

    /// <summary>Computes the eps-magnitude <c>sqrt(re^2 + im^2 + eps)</c> of frame <paramref name="frame"/> into <paramref name="magnitude"/>.</summary>
    public void ProcessFrameMagnitude(ReadOnlySpan<float> signal, int frame, Span<float> magnitude)
    {
        int bins = Settings.Bins;
        if (magnitude.Length < bins) throw new ArgumentException($"need {bins} bins", nameof(magnitude));
        Transform(signal, frame);
        double eps = Settings.MagnitudeEpsilon;
        for (int k = 0; k < bins; k++) magnitude[k] = (float)Math.Sqrt(_re[k] * _re[k] + _im[k] * _im[k] + eps);
    }

    /// <summary>The whole complex STFT of <paramref name="signal"/>, frame-major: <c>re[t * Bins + k]</c>.</summary>
    public void Process(ReadOnlySpan<float> signal, Span<float> re, Span<float> im)
    {
        int frames = FrameCount(signal.Length), bins = Settings.Bins;
        if (re.Length < frames * bins || im.Length < frames * bins) throw new ArgumentException($"need {frames * bins} values in re and im");
        for (int t = 0; t < frames; t++) ProcessFrame(signal, t, re.Slice(t * bins, bins), im.Slice(t * bins, bins));
    }

    private void Transform(ReadOnlySpan<float> signal, int frame)
    {
        int nFft = Settings.NFft, half = nFft / 2;
        Array.Clear(_frame);
        // Padded index p = frame*hop + j maps to signal index p - nFft/2; only the window's support matters.
        long start = (long)frame * Settings.HopLength - half;
        for (int j = _winOffset; j < _winOffset + Settings.WinLength; j++)
        {
            long i = start + j;
            if (i >= 0 && i < signal.Length) _frame[j] = signal[(int)i] * _window[j];
        }

        _fft.Direct(_frame, _re, _im);
    }
}

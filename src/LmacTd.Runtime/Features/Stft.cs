using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Features;

/// <summary>
/// The contract's centred STFT (step 4): <c>nFft/2</c> zeros on both sides of the signal, periodic Hamming window
/// centred in each frame, one-sided. Frames are computed on demand into caller buffers, <see cref="LaneFft.Lanes"/> at a
/// time; an instance owns scratch buffers, so use one per thread. The FFT runs in double precision so that the
/// runtime's own rounding stays well below the reference's float32 rounding.
/// </summary>
internal sealed class Stft
{
    private readonly LaneFft _fft;
    private readonly double[] _window;
    private readonly double[] _windowed;
    private readonly int _winOffset;

    /// <summary>Prepares an STFT with <paramref name="settings"/>.</summary>
    public Stft(StftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.NFft < 4) throw new ArgumentException($"nFft must be at least 4, got {settings.NFft}");
        Settings = settings;
        _fft = new LaneFft(settings.NFft);
        _window = Windows.HammingPeriodicDouble(settings.WinLength, settings.NFft);
        _winOffset = (settings.NFft - settings.WinLength) / 2;
        _windowed = new double[settings.WinLength];
    }

    /// <summary>The settings.</summary>
    public StftSettings Settings { get; }

    /// <summary>Frames over a signal of <paramref name="samples"/> samples.</summary>
    public int FrameCount(int samples) => Settings.FramesFor(samples);

    /// <summary>Computes frame <paramref name="frame"/> of <paramref name="signal"/> into <paramref name="re"/> and <paramref name="im"/> (<c>Bins</c> each).</summary>
    public void ProcessFrame(ReadOnlySpan<float> signal, int frame, Span<float> re, Span<float> im) => ProcessFrames(signal, frame, 1, re, im);

    /// <summary>Computes the eps-magnitude <c>sqrt(re^2 + im^2 + eps)</c> of frame <paramref name="frame"/> into <paramref name="magnitude"/>.</summary>
    public void ProcessFrameMagnitude(ReadOnlySpan<float> signal, int frame, Span<float> magnitude) => ProcessMagnitudes(signal, frame, 1, magnitude);

    /// <summary>The whole complex STFT of <paramref name="signal"/>, frame-major: <c>re[t * Bins + k]</c>.</summary>
    public void Process(ReadOnlySpan<float> signal, Span<float> re, Span<float> im) =>
        ProcessFrames(signal, 0, FrameCount(signal.Length), re, im);

    /// <summary>Frames <paramref name="first"/> to <c>first + count - 1</c>, frame-major into <paramref name="re"/> and <paramref name="im"/> (<c>count * Bins</c> each).</summary>
    public void ProcessFrames(ReadOnlySpan<float> signal, int first, int count, Span<float> re, Span<float> im)
    {
        int bins = Settings.Bins;
        if (re.Length < count * bins || im.Length < count * bins) throw new ArgumentException($"need {count * bins} values in re and im");
        for (int t = 0; t < count; t += LaneFft.Lanes)
        {
            int n = Transform(signal, first + t, Math.Min(LaneFft.Lanes, count - t));
            for (int f = 0; f < n; f++) _fft.Spectrum(f, re.Slice((t + f) * bins, bins), im.Slice((t + f) * bins, bins));
        }
    }

    /// <summary>The eps-magnitudes of frames <paramref name="first"/> to <c>first + count - 1</c>, frame-major into <paramref name="magnitude"/> (<c>count * Bins</c>).</summary>
    public void ProcessMagnitudes(ReadOnlySpan<float> signal, int first, int count, Span<float> magnitude)
    {
        int bins = Settings.Bins;
        if (magnitude.Length < count * bins) throw new ArgumentException($"need {count * bins} values", nameof(magnitude));
        for (int t = 0; t < count; t += LaneFft.Lanes)
        {
            int n = Transform(signal, first + t, Math.Min(LaneFft.Lanes, count - t));
            _fft.Magnitudes(n, Settings.MagnitudeEpsilon, magnitude.Slice(t * bins, n * bins));
        }
    }

    // Windows frames first..first+count-1 (count <= Lanes) and transforms them; returns count.
    private int Transform(ReadOnlySpan<float> signal, int first, int count)
    {
        if (first < 0) throw new ArgumentOutOfRangeException(nameof(first), $"frame {first} is negative");
        int half = Settings.NFft / 2, length = Settings.WinLength;
        var window = _window.AsSpan(_winOffset, length);
        _fft.Clear();
        for (int f = 0; f < count; f++)
        {
            // Padded index p = frame*hop + j maps to signal index p - nFft/2; only the window's support is non-zero.
            long start = ((long)(first + f) * Settings.HopLength) - half + _winOffset;
            for (int j = 0; j < length; j++)
            {
                long i = start + j;
                _windowed[j] = i >= 0 && i < signal.Length ? signal[(int)i] * window[j] : 0;
            }

            _fft.Load(f, _winOffset, _windowed);
        }

        _fft.Transform();
        return count;
    }
}

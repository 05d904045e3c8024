using LmacTd.Runtime.Packages;
using NWaves.Transforms;

namespace LmacTd.Runtime.Features;

/// <summary>
/// Inverse of <see cref="Stft"/>: each frame's inverse FFT times the window, overlap-added, divided by the summed
/// squared window where that sum exceeds 1e-11, the centring padding removed. An instance owns scratch buffers,
/// so use one per thread.
/// </summary>
internal sealed class InverseStft
{
    /// <summary>Below this summed squared window a sample is left undivided.</summary>
    public const double EnvelopeFloor = 1e-11;

    private readonly RealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frame;
    private readonly float[] _re;
    private readonly float[] _im;
    private double[] _ola = [];
    private double[] _envelope = [];

    /// <summary>Prepares the inverse of the STFT <paramref name="settings"/> describes.</summary>
    public InverseStft(StftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _fft = new RealFft(settings.NFft);
        _window = Windows.HammingPeriodic(settings.WinLength, settings.NFft);
        _frame = new float[settings.NFft];
        _re = new float[settings.Bins];
        _im = new float[settings.Bins];
    }

    /// <summary>The settings.</summary>
    public StftSettings Settings { get; }

    private double[] Envelope(int total, int frames)
    {
        var envelope = new double[total];
        int nFft = Settings.NFft, hop = Settings.HopLength;
        for (int t = 0; t < frames; t++)
        {
            for (int j = 0; j < nFft; j++)
            {
                double w = _window[j];
                envelope[t * hop + j] += w * w;
            }
        }

        return envelope;
    }

    /// <summary>
    /// Rebuilds <paramref name="output"/> (its length is the signal's) from <paramref name="frames"/> frames given
    /// frame-major in <paramref name="re"/> and <paramref name="im"/> (<c>frames * Bins</c> each).
    /// </summary>
    public void Process(ReadOnlySpan<float> re, ReadOnlySpan<float> im, int frames, Span<float> output)
    {
        int nFft = Settings.NFft, hop = Settings.HopLength, bins = Settings.Bins, half = nFft / 2;
        if (re.Length < frames * bins || im.Length < frames * bins) throw new ArgumentException($"need {frames * bins} values in re and im");
        int total = nFft + hop * Math.Max(0, frames - 1);
        // Kept between calls (an L-MAC explanation makes two per clip): the envelope depends on the frame count only.
        if (_ola.Length != total)
        {
            _ola = new double[total];
            _envelope = Envelope(total, frames);
        }
        else
        {
            Array.Clear(_ola);
        }

        var ola = _ola;
        var envelope = _envelope;
        for (int t = 0; t < frames; t++)
        {
            re.Slice(t * bins, bins).CopyTo(_re);
            im.Slice(t * bins, bins).CopyTo(_im);
            // A one-sided spectrum has real DC and Nyquist bins; drop any imaginary part there, as irfft does.
            _im[0] = 0;
            _im[bins - 1] = 0;
            _fft.Inverse(_re, _im, _frame);
            int at = t * hop;
            for (int j = 0; j < nFft; j++)
            {
                double w = _window[j];
                if (w == 0) continue;
                ola[at + j] += _frame[j] / (double)nFft * w;
            }
        }

        for (int n = 0; n < output.Length; n++)
        {
            int p = n + half;
            if (p >= total)
            {
                output[n] = 0;
                continue;
            }

            output[n] = (float)(envelope[p] > EnvelopeFloor ? ola[p] / envelope[p] : ola[p]);
        }
    }
}

using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Features;

/// <summary>
/// The HTK triangular mel filterbank of the contract (step 4): <c>nMels + 2</c> points equally spaced on
/// <c>2595 log10(1 + f/700)</c> from fMin to fMax; filter m has centre <c>hz[m+1]</c>, half-width
/// <c>hz[m+1] - hz[m]</c> and peak 1, sampled at the bin frequencies <c>k * (sampleRate/2) / (nFft/2)</c>.
/// Immutable; share one instance between threads.
/// </summary>
internal sealed class MelFilterbank
{
    private readonly float[] _weights;
    private readonly int[] _first;
    private readonly int[] _last;

    /// <summary>Builds the filterbank for <paramref name="melCount"/> filters over an <paramref name="nFft"/>-point FFT.</summary>
    public MelFilterbank(int melCount, int nFft, int sampleRate, double fMin, double fMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nFft, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (!(fMin >= 0) || !(fMax > fMin)) throw new ArgumentException($"need 0 <= fMin < fMax, got {fMin}, {fMax}");
        MelCount = melCount;
        Bins = nFft / 2 + 1;
        _weights = new float[melCount * Bins];
        _first = new int[melCount];
        _last = new int[melCount];

        double melLo = HzToMel(fMin), melHi = HzToMel(fMax);
        var hz = new double[melCount + 2];
        for (int i = 0; i < hz.Length; i++) hz[i] = MelToHz(melLo + (melHi - melLo) * i / (melCount + 1));

        for (int m = 0; m < melCount; m++)
        {
            double centre = hz[m + 1], half = hz[m + 1] - hz[m];
            _first[m] = Bins;
            _last[m] = -1;
            for (int k = 0; k < Bins; k++)
            {
                double f = k * (sampleRate / 2.0) / (nFft / 2);
                double v = Math.Max(0, 1 - Math.Abs(f - centre) / half);
                if (v <= 0) continue;
                _weights[m * Bins + k] = (float)v;
                _first[m] = Math.Min(_first[m], k);
                _last[m] = k;
            }
        }
    }

    /// <summary>Builds the filterbank a front end describes.</summary>
    public static MelFilterbank For(FrontEndSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MelFilterbank(settings.NMels, settings.Stft.NFft, settings.SampleRate, settings.FMin, settings.FMax);
    }

    /// <summary>Number of filters.</summary>
    public int MelCount { get; }

    /// <summary>Number of FFT bins each filter spans (<c>nFft/2 + 1</c>).</summary>
    public int Bins { get; }

    /// <summary>The weight of bin <paramref name="bin"/> in filter <paramref name="mel"/>.</summary>
    public float this[int mel, int bin] => _weights[mel * Bins + bin];

    /// <summary>Applies the filters to one frame's magnitudes: <c>mel[m] = sum_k w[m,k] magnitude[k]</c>.</summary>
    public void Apply(ReadOnlySpan<float> magnitude, Span<float> mel)
    {
        if (magnitude.Length < Bins) throw new ArgumentException($"need {Bins} bins, got {magnitude.Length}", nameof(magnitude));
        if (mel.Length < MelCount) throw new ArgumentException($"need room for {MelCount} filters", nameof(mel));
        for (int m = 0; m < MelCount; m++)
        {
            double acc = 0;
            var row = _weights.AsSpan(m * Bins, Bins);
            for (int k = _first[m]; k <= _last[m]; k++) acc += row[k] * magnitude[k];
            mel[m] = (float)acc;
        }
    }

    /// <summary>
    /// <see cref="Apply"/> for <paramref name="frames"/> frames given frame-major (<c>frames * Bins</c> magnitudes into
    /// <c>frames * MelCount</c> values), with the same numbers: each frame's sum runs in the same order. Four frames
    /// are summed side by side, so the additions of one do not wait for the one before (twice as fast as frame by
    /// frame on the 2-core AMD EPYC Zen 5 of benchmarks/RESULTS.md).
    /// </summary>
    public void ApplyFrames(ReadOnlySpan<float> magnitudes, int frames, Span<float> mel)
    {
        int bins = Bins, mels = MelCount;
        if (magnitudes.Length < frames * bins) throw new ArgumentException($"need {frames * bins} magnitudes", nameof(magnitudes));
        if (mel.Length < frames * mels) throw new ArgumentException($"need room for {frames * mels} values", nameof(mel));
        int t = 0;
        for (; t + 3 < frames; t += 4)
        {
            var m0 = magnitudes.Slice(t * bins, bins);
            var m1 = magnitudes.Slice((t + 1) * bins, bins);
            var m2 = magnitudes.Slice((t + 2) * bins, bins);
            var m3 = magnitudes.Slice((t + 3) * bins, bins);
            for (int m = 0; m < mels; m++)
            {
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                var row = _weights.AsSpan(m * bins, bins);
                for (int k = _first[m]; k <= _last[m]; k++)
                {
                    float w = row[k];
                    a0 += w * m0[k];
                    a1 += w * m1[k];
                    a2 += w * m2[k];
                    a3 += w * m3[k];
                }

                mel[(t * mels) + m] = (float)a0;
                mel[((t + 1) * mels) + m] = (float)a1;
                mel[((t + 2) * mels) + m] = (float)a2;
                mel[((t + 3) * mels) + m] = (float)a3;
            }
        }

        for (; t < frames; t++) Apply(magnitudes.Slice(t * bins, bins), mel.Slice(t * mels, mels));
    }

    private static double HzToMel(double hz) => 2595.0 * Math.Log10(1 + hz / 700.0);

    private static double MelToHz(double mel) => 700.0 * (Math.Pow(10, mel / 2595.0) - 1);
}

namespace LmacTd.Runtime.Audio;

/// <summary>
/// Band-limited sample-rate conversion by a Kaiser-windowed sinc kernel, evaluated as a polyphase filter
/// for the rational ratio of the two rates. Going down, the cut-off sits a little below the new Nyquist
/// frequency so that what cannot be represented is filtered out rather than folded back.
/// An instance holds only read-only tables and may be shared between threads.
/// </summary>
internal sealed class Resampler
{
    private const int ZeroCrossings = 24;
    private const double KaiserBeta = 8.6;
    private const double Rolloff = 0.92;
    private const int MaxTablePhases = 4096;

    private readonly int _up;
    private readonly int _down;
    private readonly double _cutoff;
    private readonly int _halfTaps;
    private readonly float[]? _table;

    /// <summary>Prepares conversion from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    public Resampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        InputRate = inputRate;
        OutputRate = outputRate;
        int g = Gcd(inputRate, outputRate);
        _up = outputRate / g;
        _down = inputRate / g;
        // Cut-off in cycles per input sample.
        _cutoff = 0.5 * Math.Min(1.0, (double)outputRate / inputRate) * Rolloff;
        _halfTaps = (int)Math.Ceiling(ZeroCrossings / (2 * _cutoff));
        if (_up <= MaxTablePhases && inputRate != outputRate)
        {
            _table = new float[_up * 2 * _halfTaps];
            var taps = new double[2 * _halfTaps];
            for (int phase = 0; phase < _up; phase++)
            {
                FillTaps((double)phase / _up, taps);
                for (int j = 0; j < taps.Length; j++) _table[phase * taps.Length + j] = (float)taps[j];
            }
        }
    }

    /// <summary>The input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>The output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Output samples for <paramref name="inputSamples"/> input samples: the same duration, rounded.</summary>
    public int OutputLength(int inputSamples) => (int)Math.Round((double)inputSamples * OutputRate / InputRate);

    /// <summary>Converts <paramref name="input"/> into a new array of <see cref="OutputLength"/> samples.</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        var output = new float[OutputLength(input.Length)];
        Process(input, output);
        return output;
    }

    /// <summary>
    /// Converts <paramref name="input"/> into <paramref name="output"/> (any length; output sample n sits at input
    /// time <c>n * InputRate / OutputRate</c>, the signal is taken as zero outside the input).
    /// </summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (InputRate == OutputRate)
        {
            int n = Math.Min(input.Length, output.Length);
            input[..n].CopyTo(output);
            output[n..].Clear();
            return;
        }

        double[]? scratch = _table is null ? new double[2 * _halfTaps] : null;
        for (int n = 0; n < output.Length; n++) output[n] = Sample(n, input, 0, input.Length, scratch);
    }

    /// <summary>
    /// Output sample <paramref name="n"/> of a signal of <paramref name="inputLength"/> samples, of which
    /// <paramref name="buffer"/> holds those from index <paramref name="bufferStart"/> on (at least every one the sample reads:
    /// <see cref="LastInputNeeded"/>). Offline and streaming resampling both come here, so they agree to the bit.
    /// </summary>
    internal float Sample(long n, ReadOnlySpan<float> buffer, long bufferStart, long inputLength, double[]? scratch)
    {
        int width = 2 * _halfTaps;
        long pos = n * _down;
        long k0 = pos / _up;
        int phase = (int)(pos % _up);
        long first = k0 - _halfTaps + 1;
        // Taps outside [0, inputLength) read zeros: the signal is zero before its start and after its end.
        int lo = (int)Math.Max(0, -first);
        int hi = (int)Math.Min(width, inputLength - first);
        double acc = 0;
        if (_table is not null)
        {
            var taps = _table.AsSpan(phase * width, width);
            for (int j = lo; j < hi; j++) acc += taps[j] * buffer[(int)(first + j - bufferStart)];
        }
        else
        {
            FillTaps((double)phase / _up, scratch!);
            for (int j = lo; j < hi; j++) acc += scratch![j] * buffer[(int)(first + j - bufferStart)];
        }

        return (float)acc;
    }

    /// <summary>The last input index output sample <paramref name="n"/> reads (it may lie past the signal's end).</summary>
    internal long LastInputNeeded(long n) => n * _down / _up + _halfTaps;

    /// <summary>The first input index output sample <paramref name="n"/> reads (it may lie before the signal's start).</summary>
    internal long FirstInputNeeded(long n) => n * _down / _up - _halfTaps + 1;

    /// <summary>Scratch for <see cref="Sample"/>: null when the taps are tabulated.</summary>
    internal double[]? NewScratch() => _table is null ? new double[2 * _halfTaps] : null;

    /// <summary>Converts <paramref name="input"/> from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int inputRate, int outputRate) =>
        new Resampler(inputRate, outputRate).Process(input);

    // Taps for output time frac (0 <= frac < 1) past input sample k0; tap j weighs input k0 - halfTaps + 1 + j.
    private void FillTaps(double frac, double[] taps)
    {
        double sum = 0;
        for (int j = 0; j < taps.Length; j++)
        {
            double x = frac + _halfTaps - 1 - j;
            double t = x / _halfTaps;
            double w = Math.Abs(t) >= 1 ? 0 : BesselI0(KaiserBeta * Math.Sqrt(1 - t * t)) / BesselI0(KaiserBeta);
            double arg = 2 * _cutoff * x;
            double sinc = Math.Abs(arg) < 1e-12 ? 1 : Math.Sin(Math.PI * arg) / (Math.PI * arg);
            taps[j] = 2 * _cutoff * sinc * w;
            sum += taps[j];
        }

        // Each phase passes DC exactly, so a constant stays constant whatever the ratio.
        for (int j = 0; j < taps.Length; j++) taps[j] /= sum;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 64; k++)
        {
            term *= q / (k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}

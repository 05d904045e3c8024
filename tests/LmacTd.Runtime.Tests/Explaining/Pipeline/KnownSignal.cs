namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// A test signal whose band-limited version is known in closed form: per channel a sum of tones, some well inside
/// the model's band (0 to 8 kHz at 16 kHz) and some well outside it, under a slow fade in and out. Band-limiting it to
/// the model's band (what the resampling there and back must do) leaves exactly the in-band tones under the same
/// fade: this closed form is the test's independent resampling, no resampler code involved.
/// </summary>
/// <remarks>
/// The library's resampler is a Kaiser-windowed sinc (beta 8.6, 24 zero crossings, cut-off at 0.92 of the lower
/// Nyquist frequency): its pass band ends about 6.5 kHz at 16 kHz (3.2 kHz for 8 kHz input) and its stop band starts
/// about 8.2 kHz, so the tones are placed below 5.6 kHz (2.6 kHz at 8 kHz) and above 9.5 kHz. The fade (0.1 s
/// raised cosine) spreads each tone by about 10 Hz, far from either edge.
/// </remarks>
internal sealed class KnownSignal
{
    private const double Fade = 0.1;

    public KnownSignal(int rate, int channels, double seconds)
    {
        Rate = rate;
        Channels = channels;
        Length = (int)(rate * seconds) | 1; // odd, so no length is a whole number of anything
        Interleaved = new float[Length * channels];
        InBand = new double[Length];
        for (int c = 0; c < channels; c++)
        {
            var (inBand, outBand) = Tones(rate, c);
            for (int i = 0; i < Length; i++)
            {
                double t = (double)i / rate, env = Envelope(t);
                double low = 0, high = 0;
                foreach (var (f, a) in inBand) low += a * Math.Sin(2 * Math.PI * f * t + c);
                foreach (var (f, a) in outBand) high += a * Math.Sin(2 * Math.PI * f * t + 0.5 * c);
                Interleaved[i * channels + c] = (float)(env * (low + high));
                // The decoder averages the channels: so does the reference.
                InBand[i] += env * low / channels;
            }
        }
    }

    public int Rate { get; }

    public int Channels { get; }

    /// <summary>Frames (samples per channel).</summary>
    public int Length { get; }

    public float[] Interleaved { get; }

    /// <summary>The mono mix band-limited to the model's band, at the input rate.</summary>
    public double[] InBand { get; }

    public double Duration => (double)Length / Rate;

    /// <summary>The in-band mono mix at any time (seconds), for the model-rate outputs.</summary>
    public double InBandAt(double t)
    {
        double sum = 0;
        for (int c = 0; c < Channels; c++)
        {
            foreach (var (f, a) in Tones(Rate, c).InBand) sum += a * Math.Sin(2 * Math.PI * f * t + c);
        }

        return Envelope(t) * sum / Channels;
    }

    private double Envelope(double t)
    {
        double edge = Math.Min(t, Duration - t);
        return edge >= Fade ? 1 : edge <= 0 ? 0 : 0.5 - 0.5 * Math.Cos(Math.PI * edge / Fade);
    }

    private static ((double F, double A)[] InBand, (double F, double A)[] OutBand) Tones(int rate, int channel)
    {
        double top = rate < 16000 ? 2600 : 5600;
        (double, double)[] inBand = [(310 + 45 * channel, 0.22), (1234 + 101 * channel, 0.18), (top - 150 * channel, 0.15)];
        var outBand = new List<(double, double)>();
        if (rate / 2 > 10500) outBand.Add((9700 + 60 * channel, 0.2));
        if (rate / 2 > 16000) outBand.Add((15100 - 80 * channel, 0.15));
        if (rate / 2 > 30000) outBand.Add((31000, 0.1));
        return (inBand, [.. outBand]);
    }
}

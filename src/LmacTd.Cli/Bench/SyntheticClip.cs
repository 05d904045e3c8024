namespace LmacTd.Cli.Bench;

/// <summary>
/// The benchmark's synthetic input, as benchmarks/compare makes it: a 440 Hz tone and its octave, a chirp from 200 Hz,
/// and noise bursts in the first fifth of every second, peak about 0.8 (the chirp restarts every 5 s). Seeded: every run gets the same samples.
/// </summary>
internal static class SyntheticClip
{
    /// <summary><paramref name="seconds"/> seconds at <paramref name="sampleRate"/> Hz.</summary>
    public static float[] Make(double seconds, int sampleRate, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be positive");
        var rng = new Random(seed);
        var x = new float[(int)Math.Round(seconds * sampleRate)];
        for (int n = 0; n < x.Length; n++)
        {
            double t = (double)n / sampleRate;
            // The chirp starts again every 5 s, so that a long clip stays within the band (200 to 3200 Hz).
            double tc = t % 5.0;
            double v = (0.3 * Math.Sin(2 * Math.PI * 440 * t)) + (0.1 * Math.Sin(2 * Math.PI * 880 * t))
                       + (0.2 * Math.Sin(2 * Math.PI * ((200 * tc) + (300 * tc * tc))));
            if (t % 1.0 < 0.2) v += 0.2 * ((2 * rng.NextDouble()) - 1);
            x[n] = (float)v;
        }

        return x;
    }
}

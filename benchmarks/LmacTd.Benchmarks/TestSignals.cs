namespace LmacTd.Benchmarks;

/// <summary>Deterministic input signals shared by the benchmarks and the side-by-side command.</summary>
public static class TestSignals
{
    /// <summary>
    /// <paramref name="seconds"/> of a mixture a classifier has something to do with: a 440 Hz tone with a harmonic, a
    /// rising chirp and seeded noise bursts, peak about 0.8.
    /// </summary>
    public static float[] Mixture(int sampleRate, double seconds, int seed = 1)
    {
        int n = (int)Math.Round(sampleRate * seconds);
        var x = new float[n];
        var rng = new Random(seed);
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            double tone = 0.3 * Math.Sin(2 * Math.PI * 440 * t) + 0.1 * Math.Sin(2 * Math.PI * 880 * t);
            double chirp = 0.2 * Math.Sin(2 * Math.PI * (200 * t + 300 * t * t));
            double burst = (t % 1.0) < 0.2 ? 0.2 * (rng.NextDouble() * 2 - 1) : 0;
            x[i] = (float)(tone + chirp + burst);
        }

        return x;
    }

    /// <summary>A 16-bit PCM stereo WAV file of <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static byte[] StereoWav(ReadOnlySpan<float> left, ReadOnlySpan<float> right, int sampleRate)
    {
        int frames = Math.Min(left.Length, right.Length);
        int data = frames * 4;
        var b = new byte[44 + data];
        var s = b.AsSpan();
        "RIFF"u8.CopyTo(s);
        BitConverter.TryWriteBytes(s[4..], 36 + data);
        "WAVEfmt "u8.CopyTo(s[8..]);
        BitConverter.TryWriteBytes(s[16..], 16);
        BitConverter.TryWriteBytes(s[20..], (short)1);
        BitConverter.TryWriteBytes(s[22..], (short)2);
        BitConverter.TryWriteBytes(s[24..], sampleRate);
        BitConverter.TryWriteBytes(s[28..], sampleRate * 4);
        BitConverter.TryWriteBytes(s[32..], (short)4);
        BitConverter.TryWriteBytes(s[34..], (short)16);
        "data"u8.CopyTo(s[36..]);
        BitConverter.TryWriteBytes(s[40..], data);
        for (int i = 0; i < frames; i++)
        {
            BitConverter.TryWriteBytes(s[(44 + 4 * i)..], Pcm16(left[i]));
            BitConverter.TryWriteBytes(s[(46 + 4 * i)..], Pcm16(right[i]));
        }

        return b;
    }

    private static short Pcm16(float v) => (short)Math.Clamp(Math.Round(v * 32767.0), short.MinValue, short.MaxValue);
}

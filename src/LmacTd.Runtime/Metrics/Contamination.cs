using System;

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// The paper's contaminated-input protocol: <c>0.8 * s / ||s|| + 0.2 * n / ||n||</c>, then divided by the
/// mixture's maximum, where <c>s</c> is the clip and <c>n</c> the contaminating signal.
/// </summary>
internal static class Contamination
{
    /// <summary>Weight of the clip in the mixture.</summary>
    public const float SignalWeight = 0.8f;

    /// <summary>Weight of the contaminating signal in the mixture.</summary>
    public const float ContaminantWeight = 0.2f;

    /// <summary>
    /// Mixes <paramref name="contaminant"/> into <paramref name="signal"/>, writing the mixture (same length as the
    /// signal) into <paramref name="output"/>. A contaminant shorter than the signal is repeated; a longer one is
    /// cut. The mixture is divided by its largest sample value (by its largest magnitude when that is not
    /// positive), as the reference divides by the max.
    /// </summary>
    /// <param name="signal">The clip <c>s</c>.</param>
    /// <param name="contaminant">The contaminating signal <c>n</c>.</param>
    /// <param name="output">Receives the mixture; at least as long as <paramref name="signal"/>; may alias neither input.</param>
    /// <exception cref="ArgumentException">A signal is empty, silent (zero energy) or non-finite, or the output is too short.</exception>
    public static void Mix(ReadOnlySpan<float> signal, ReadOnlySpan<float> contaminant, Span<float> output)
    {
        if (signal.IsEmpty) throw new ArgumentException("The clip is empty.", nameof(signal));
        if (contaminant.IsEmpty) throw new ArgumentException("The contaminating signal is empty.", nameof(contaminant));
        if (output.Length < signal.Length)
        {
            throw new ArgumentException($"The output holds {output.Length} samples; the clip has {signal.Length}.", nameof(output));
        }

        double sNorm = Norm(signal, nameof(signal));
        double nNorm = Norm(contaminant, nameof(contaminant));
        float a = (float)(SignalWeight / sNorm);
        float b = (float)(ContaminantWeight / nNorm);
        float max = float.NegativeInfinity;
        float absMax = 0f;
        for (int i = 0; i < signal.Length; i++)
        {
            float v = (a * signal[i]) + (b * contaminant[i % contaminant.Length]);
            output[i] = v;
            max = Math.Max(max, v);
            absMax = Math.Max(absMax, Math.Abs(v));
        }

        float divisor = max > 0f ? max : absMax;
        if (divisor <= 0f) throw new ArgumentException("The mixture is silent.", nameof(signal));
        float inv = 1f / divisor;
        for (int i = 0; i < signal.Length; i++) output[i] *= inv;
    }

    /// <summary>Fills <paramref name="output"/> with white Gaussian noise of unit variance from <paramref name="random"/>.</summary>
    /// <param name="random">The source of randomness; seed it for a reproducible set.</param>
    /// <param name="output">Receives the noise.</param>
    public static void WhiteNoise(Random random, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(random);

        // Box-Muller: two uniforms give two independent normals.
        for (int i = 0; i < output.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            output[i] = (float)(radius * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < output.Length) output[i + 1] = (float)(radius * Math.Sin(2.0 * Math.PI * u2));
        }
    }

    private static double Norm(ReadOnlySpan<float> x, string name)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!float.IsFinite(v)) throw new ArgumentException($"Sample {i} is {v}: audio must be finite.", name);
            sum += (double)v * v;
        }

        if (sum <= 0.0) throw new ArgumentException("The signal is silent: its norm is zero.", name);
        return Math.Sqrt(sum);
    }
}

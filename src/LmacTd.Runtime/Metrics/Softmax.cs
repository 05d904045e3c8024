using System.Numerics;

namespace LmacTd.Runtime.Metrics;

/// <summary>Softmax and arg-max over class scores.</summary>
internal static class Softmax
{
    /// <summary>The softmax of <paramref name="logits"/> (computed in double, shifted by the maximum).</summary>
    public static float[] Of(ReadOnlySpan<float> logits)
    {
        var p = new float[logits.Length];
        if (logits.Length == 0) return p;
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double sum = 0;
        // On the stack for class counts like ours: a heap array here was garbage on every window.
        Span<double> e = logits.Length <= 1024 ? stackalloc double[logits.Length] : new double[logits.Length];
        for (int i = 0; i < logits.Length; i++) sum += e[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) p[i] = (float)(e[i] / sum);
        return p;
    }

    /// <summary>The softmax of <paramref name="scores"/> in double precision (shifted by the maximum).</summary>
    internal static double[] OfDouble(ReadOnlySpan<double> scores)
    {
        var e = new double[scores.Length];
        if (scores.Length == 0) return e;
        double max = double.NegativeInfinity;
        foreach (var s in scores) max = Math.Max(max, s);
        double sum = 0;
        for (int i = 0; i < scores.Length; i++) sum += e[i] = Math.Exp(scores[i] - max);
        for (int i = 0; i < scores.Length; i++) e[i] /= sum;
        return e;
    }

    /// <summary>The index of the largest value (the first one on ties).</summary>
    /// <exception cref="ArgumentException">The vector is empty.</exception>
    public static int ArgMax<T>(ReadOnlySpan<T> values)
        where T : INumber<T>
    {
        if (values.IsEmpty) throw new ArgumentException("cannot take the argmax of an empty vector", nameof(values));
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }

        return best;
    }
}

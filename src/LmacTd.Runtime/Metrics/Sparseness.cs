using System;
using System.Buffers;

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// SPS, the sparseness of an explanation map: the Gini index of its absolute values, as Quantus'
/// "Sparseness" metric defines it.
/// </summary>
internal static class Sparseness
{
    private const double Offset = 1e-7;

    /// <summary>
    /// Computes <c>sum_k (2k - n - 1) a_k / (n * sum_k a_k)</c> over the map's <c>n</c> values, with
    /// <c>a_k = |m_k| + 1e-7</c> sorted ascending and <c>k = 1..n</c>, in double precision.
    /// </summary>
    /// <remarks>
    /// 0 for a constant map (all weight spread evenly), approaching 1 as the weight gathers in one
    /// element. The 1e-7 offset keeps an all-zero map defined (its value is 0).
    /// </remarks>
    /// <param name="map">The map, flattened in any order.</param>
    /// <returns>The Gini index in [0, 1).</returns>
    /// <exception cref="ArgumentException">The map is empty or holds a non-finite value.</exception>
    public static double Gini(ReadOnlySpan<float> map) => GiniOf(map, normaliseByMax: false);

    /// <summary>
    /// The Gini index as Quantus computes it with its default normalisation, which the SpeechBrain recipe uses: the
    /// map is divided by its largest magnitude before the 1e-7 offset is added (an all-zero map stays as it is).
    /// </summary>
    internal static double GiniOfMaxNormalised(ReadOnlySpan<float> map) => GiniOf(map, normaliseByMax: true);

    private static double GiniOf(ReadOnlySpan<float> map, bool normaliseByMax)
    {
        if (map.IsEmpty)
        {
            throw new ArgumentException("The map is empty.", nameof(map));
        }

        int n = map.Length;

        // Pooled: maps of whole spectrograms hold a few hundred thousand values per clip.
        double[] rented = ArrayPool<double>.Shared.Rent(n);
        try
        {
            return GiniOfRented(map, rented.AsSpan(0, n), normaliseByMax);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static double GiniOfRented(ReadOnlySpan<float> map, Span<double> a, bool normaliseByMax)
    {
        int n = map.Length;
        for (int i = 0; i < n; i++)
        {
            float v = map[i];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"The map holds a non-finite value at index {i}.", nameof(map));
            }

            a[i] = Math.Abs((double)v);
        }

        double max = 0.0;
        if (normaliseByMax)
        {
            for (int i = 0; i < n; i++) max = Math.Max(max, a[i]);
        }

        double divisor = max > 0.0 ? max : 1.0;
        for (int i = 0; i < n; i++) a[i] = (a[i] / divisor) + Offset;

        a.Sort();
        double weighted = 0.0;
        double total = 0.0;
        for (int k = 1; k <= n; k++)
        {
            double ak = a[k - 1];
            weighted += ((2.0 * k) - n - 1.0) * ak;
            total += ak;
        }

        return weighted / (n * total);
    }
}

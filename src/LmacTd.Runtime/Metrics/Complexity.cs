using System;

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// COMP, the complexity of an explanation map: the entropy of each element's share of the total
/// absolute weight, as Quantus' "Complexity" metric defines it.
/// </summary>
internal static class Complexity
{
    /// <summary>
    /// Computes <c>-sum_k p_k ln p_k</c> with <c>p_k = |m_k| / sum |m|</c>, in double precision;
    /// terms with <c>p_k = 0</c> count as 0.
    /// </summary>
    /// <remarks>
    /// <c>ln n</c> for a constant non-zero map of <c>n</c> elements, 0 for a one-hot map. An all-zero
    /// map has no distribution to measure: the result is <see cref="double.NaN"/>.
    /// </remarks>
    /// <param name="map">The map, flattened in any order.</param>
    /// <returns>The entropy in nats, or <see cref="double.NaN"/> for an all-zero map.</returns>
    /// <exception cref="ArgumentException">The map is empty or holds a non-finite value.</exception>
    public static double Entropy(ReadOnlySpan<float> map)
    {
        if (map.IsEmpty)
        {
            throw new ArgumentException("The map is empty.", nameof(map));
        }

        double total = 0.0;
        for (int i = 0; i < map.Length; i++)
        {
            float v = map[i];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"The map holds a non-finite value at index {i}.", nameof(map));
            }

            total += Math.Abs((double)v);
        }

        if (total == 0.0)
        {
            return double.NaN;
        }

        double entropy = 0.0;
        for (int i = 0; i < map.Length; i++)
        {
            double share = Math.Abs((double)map[i]) / total;
            if (share > 0.0)
            {
                entropy -= share * Math.Log(share);
            }
        }

        return entropy;
    }
}

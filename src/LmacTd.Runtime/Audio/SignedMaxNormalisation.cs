namespace LmacTd.Runtime.Audio;

/// <summary>
/// The contract's <c>signed-max</c> normalisation (step 2): divide by the largest sample value; when that is not
/// above <see cref="Threshold"/> (an all-negative clip) divide by the largest absolute value instead; when that
/// too is not above it, the clip is silent and refused.
/// </summary>
internal static class SignedMaxNormalisation
{
    /// <summary>Divisors at or below this are treated as silence.</summary>
    public const float Threshold = 1e-6f;

    /// <summary>The divisor for <paramref name="clip"/>, or null when the clip is silent.</summary>
    /// <exception cref="ArgumentException">The clip holds NaN or infinity.</exception>
    public static float? TryDivisor(ReadOnlySpan<float> clip)
    {
        float max = float.NegativeInfinity, absMax = 0;
        for (int i = 0; i < clip.Length; i++)
        {
            float x = clip[i];
            if (!float.IsFinite(x)) throw new ArgumentException($"sample {i} is {x}: audio must be finite");
            if (x > max) max = x;
            float a = Math.Abs(x);
            if (a > absMax) absMax = a;
        }

        if (max > Threshold) return max;
        if (absMax > Threshold) return absMax;
        return null;
    }

    /// <summary>The divisor for <paramref name="clip"/>.</summary>
    /// <exception cref="ArgumentException">The clip is silent or holds NaN or infinity.</exception>
    public static float Divisor(ReadOnlySpan<float> clip) =>
        TryDivisor(clip) ?? throw new ArgumentException($"the audio is silent (no sample above {Threshold} in magnitude)");
}

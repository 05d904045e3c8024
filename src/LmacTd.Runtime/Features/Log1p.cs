using System.Numerics.Tensors;

namespace LmacTd.Runtime.Features;

/// <summary>
/// <c>log(1 + x)</c> of float values, computed in double precision and rounded once, as the contract's <c>log1p</c>
/// compression and the LMAC-TD map want it, with SIMD (<see cref="TensorPrimitives"/>).
/// </summary>
/// <remarks>
/// The scalar form, <c>(float)Math.Log(1 + (double)x)</c>, took 1.3 ms for one LMAC-TD map (431 x 513 values) on the
/// 2-core AMD EPYC Zen 5 of benchmarks/RESULTS.md. The vectorised double logarithm is not correctly rounded in the last
/// bit of a double, so a float result can differ from the scalar one only where the double lands within that bit
/// of a float rounding boundary (Log1pTests counts none over a million values).
/// </remarks>
internal static class Log1p
{
    // Doubles converted per step: 4 KB of stack.
    private const int Chunk = 512;

    /// <summary>Writes <c>log(1 + input[i])</c> to <c>output[i]</c> (the spans may be the same).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException($"need room for {input.Length} values", nameof(output));
        Span<double> scratch = stackalloc double[Chunk];
        for (int at = 0; at < input.Length; at += Chunk)
        {
            int n = Math.Min(Chunk, input.Length - at);
            var d = scratch[..n];
            TensorPrimitives.ConvertChecked(input.Slice(at, n), d);
            TensorPrimitives.LogP1(d, d);
            TensorPrimitives.ConvertTruncating(d, output.Slice(at, n));
        }
    }

    /// <summary>Replaces every value <c>x</c> of <paramref name="values"/> with <c>log(1 + x)</c>.</summary>
    public static void InPlace(Span<float> values) => Apply(values, values);
}

using LmacTd.Runtime.Metrics;
using Xunit;

namespace LmacTd.Runtime.Tests.Metrics;

public class MapMetricsTests
{
    [Fact]
    public void MaskOfAllOnes_IsNotSparseAndHasMaximalEntropy()
    {
        float[] ones = { 1f, 1f, 1f, 1f };

        Assert.Equal(0.0, Sparseness.Gini(ones), 1e-12);
        Assert.Equal(Math.Log(4), Complexity.Entropy(ones), 1e-12);
    }

    [Fact]
    public void MaskOfAllZeros_HasZeroSparsenessAndUndefinedEntropy()
    {
        float[] zeros = new float[16];

        // Every a_k is the 1e-7 offset: equal weights, Gini 0.
        Assert.Equal(0.0, Sparseness.Gini(zeros), 1e-12);
        Assert.True(double.IsNaN(Complexity.Entropy(zeros)));
    }

    [Fact]
    public void OneHotMap_IsAlmostFullySparseWithZeroEntropy()
    {
        float[] oneHot = { 0f, 0f, 1f, 0f };

        // Sorted a = [1e-7, 1e-7, 1e-7, 1 + 1e-7]; sum (2k - 5) a_k = 3; n * sum a = 4 (1 + 4e-7).
        Assert.Equal(3.0 / (4.0 * (1.0 + 4e-7)), Sparseness.Gini(oneHot), 1e-12);
        Assert.Equal(0.0, Complexity.Entropy(oneHot), 1e-12);
    }

    [Fact]
    public void RampMap_MatchesHandWorkedValues()
    {
        // Order and sign must not matter: both metrics take absolute values and SPS sorts.
        float[] ramp = { -3f, 1f, 4f, -2f };

        // sum (2k - 5) a_k = -3*1 - 1*2 + 1*3 + 3*4 = 10 (the offsets cancel); n * sum a = 4 (10 + 4e-7).
        Assert.Equal(10.0 / (4.0 * (10.0 + 4e-7)), Sparseness.Gini(ramp), 1e-12);
        // -(0.1 ln 0.1 + 0.2 ln 0.2 + 0.3 ln 0.3 + 0.4 ln 0.4)
        Assert.Equal(1.2798542258336676, Complexity.Entropy(ramp), 1e-12);
    }

    [Fact]
    public void EmptyOrNonFiniteMaps_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Sparseness.Gini(ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentException>(() => Complexity.Entropy(ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentException>(() => Sparseness.Gini(new[] { 1f, float.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => Complexity.Entropy(new[] { float.NaN, 1f }));
    }
}

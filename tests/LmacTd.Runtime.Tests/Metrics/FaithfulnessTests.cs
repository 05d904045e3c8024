using LmacTd.Runtime.Metrics;
using Xunit;

namespace LmacTd.Runtime.Tests.Metrics;

public class FaithfulnessTests
{
    // Probabilities chosen to be exact in float32, so the expected values below are worked by hand.
    private static readonly float[] P = { 0.25f, 0.5f, 0.25f };

    [Fact]
    public void ExplanationThatRaisesTheClass_CountsAsIncreaseAndGain()
    {
        float[] q = { 0.125f, 0.75f, 0.125f };
        float[] r = { 0.5f, 0.25f, 0.25f };

        FaithfulnessMetrics m = Faithfulness.Compute(P, q, r);

        Assert.Equal(1, m.ClassIndex);
        Assert.Equal(100.0, m.AI);
        Assert.Equal(0.0, m.AD);
        // 100 * (0.75 - 0.5) / (1 - 0.5 + 1e-10)
        Assert.Equal(49.99999999, m.AG, 1e-9);
        Assert.Equal(0.25, m.FF, 1e-12);
        Assert.Equal(1.0, m.FidIn);
        Assert.True(double.IsNaN(m.SPS));
        Assert.True(double.IsNaN(m.COMP));
    }

    [Fact]
    public void ExplanationThatLosesTheClass_CountsAsDropAndNoFidelity()
    {
        float[] q = { 0.625f, 0.25f, 0.125f };
        float[] r = { 0.25f, 0.5f, 0.25f };

        FaithfulnessMetrics m = Faithfulness.Compute(P, q, r);

        Assert.Equal(0.0, m.AI);
        // 100 * (0.5 - 0.25) / (0.5 + 1e-10)
        Assert.Equal(49.99999999, m.AD, 1e-9);
        Assert.Equal(0.0, m.AG);
        Assert.Equal(0.0, m.FF, 1e-12);
        Assert.Equal(0.0, m.FidIn);
        Assert.Equal(0, m.QArgmax);
    }

    [Fact]
    public void EqualProbabilities_AreNeitherIncreaseNorDrop()
    {
        FaithfulnessMetrics m = Faithfulness.Compute(P, P, P);

        Assert.Equal(0.0, m.AI);
        Assert.Equal(0.0, m.AD);
        Assert.Equal(0.0, m.AG);
        Assert.Equal(0.0, m.FF);
        Assert.Equal(1.0, m.FidIn);
    }

    [Fact]
    public void TiesGoToTheLowerClassIndex()
    {
        float[] tied = { 0.4f, 0.4f, 0.2f };
        Assert.Equal(0, Softmax.ArgMax<float>(tied));
        Assert.Equal(0, Faithfulness.Compute(tied, tied, tied).ClassIndex);
    }

    [Fact]
    public void MapGivesSparsenessAndComplexity()
    {
        float[] q = { 0.125f, 0.75f, 0.125f };
        float[] map = { 0f, 0f, 1f, 0f };

        FaithfulnessMetrics m = Faithfulness.Compute(P, q, P, map);

        Assert.Equal(0.74999970000012, m.SPS, 1e-12);
        Assert.Equal(0.0, m.COMP, 1e-12);
    }

    [Fact]
    public void MismatchedLengths_AreRefused()
    {
        float[] shortQ = { 0.5f, 0.5f };
        ArgumentException e = Assert.Throws<ArgumentException>(() => Faithfulness.Compute(P, shortQ, P));
        Assert.Contains("differ in length", e.Message);
    }

    [Fact]
    public void NonFiniteProbabilities_AreRefused()
    {
        float[] q = { float.NaN, 0.5f, 0.5f };
        ArgumentException e = Assert.Throws<ArgumentException>(() => Faithfulness.Compute(P, q, P));
        Assert.Contains("non-finite", e.Message);
    }
}

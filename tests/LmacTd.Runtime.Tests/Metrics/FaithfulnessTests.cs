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
    [Theory]
    [InlineData(new[] { 3, 5, 5, 4 }, new[] { 1, 2, 2, 0 }, 5, 2)] // the mode is neither the first window's nor the last's
    [InlineData(new[] { 7, 2, 2, 7 }, new[] { 9, 4, 9, 4 }, 2, 4)] // ties go to the lower index, not to the first window
    [InlineData(new[] { 6, 1, 6 }, new[] { 6, 6, 1 }, 6, 6)]
    public void OfWindows_takes_the_most_common_class_and_q_argmax(int[] classes, int[] qArgmax, int expectedClass, int expectedQArgmax)
    {
        var windows = classes.Select((c, i) => Window(c, qArgmax[i], pc: 0.3 + (0.1 * i), ff: 0.05 * i)).ToList();

        var clip = Faithfulness.OfWindows(windows);

        Assert.Equal(expectedClass, clip.ClassIndex);
        Assert.Equal(expectedQArgmax, clip.QArgmax);
        Assert.Equal(Enumerable.Range(0, classes.Length).Average(i => 0.3 + (0.1 * i)), clip.PC, 12);
        Assert.Equal(Enumerable.Range(0, classes.Length).Average(i => 0.05 * i), clip.FF, 12);
        Assert.Equal(100.0 * windows.Count(w => w.AI > 0) / windows.Count, clip.AI, 12);
    }

    [Fact]
    public void OfWindows_gives_one_window_back_and_refuses_none()
    {
        var one = Window(4, 4, 0.5, 0.1);
        Assert.Same(one, Faithfulness.OfWindows([one]));
        Assert.Throws<ArgumentException>(() => Faithfulness.OfWindows([]));
    }

    private static FaithfulnessMetrics Window(int c, int qArgmax, double pc, double ff) =>
        new(c, pc, pc / 2, pc - ff, qArgmax, AI: c % 2 == 0 ? 100 : 0, AD: 50, AG: 0, FF: ff, FidIn: c == qArgmax ? 1 : 0, SPS: 0.5, COMP: 3);
}

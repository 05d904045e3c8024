using LmacTd.Runtime.Metrics;
using Xunit;

namespace LmacTd.Runtime.Tests.Metrics;

public class MetricSetTests
{
    [Fact]
    public void MeansAreOverClips_AndMapMetricsSkipClipsWithoutAMap()
    {
        float[] p = { 0.25f, 0.5f, 0.25f };
        float[] up = { 0.125f, 0.75f, 0.125f };
        float[] down = { 0.625f, 0.25f, 0.125f };
        var set = new MetricSet();

        set.Add(Faithfulness.Compute(p, up, down, new[] { 1f, 1f, 1f, 1f }));
        set.Add(Faithfulness.Compute(p, down, up));

        Assert.Equal(2, set.Count);
        Assert.Equal(50.0, set.AI);
        Assert.Equal(0.5, set.FidIn);
        Assert.Equal((0.25 + -0.25) / 2, set.FF, 1e-12);
        Assert.Equal(Math.Log(4), set.COMP, 1e-12);
        Assert.Equal(0.0, set.SPS, 1e-12);
    }

    [Fact]
    public void EmptySet_HasNaNMeans()
    {
        var set = new MetricSet();
        Assert.True(double.IsNaN(set.AI));
    }
}

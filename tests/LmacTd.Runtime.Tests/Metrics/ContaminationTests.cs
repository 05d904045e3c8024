using LmacTd.Runtime.Metrics;

namespace LmacTd.Runtime.Tests.Metrics;

public class ContaminationTests
{
    [Fact]
    public void Mixture_weighs_the_unit_norm_signals_0_8_and_0_2_then_peaks_at_one()
    {
        // Orthogonal signals of different norms: after the mix, projecting on each gives the weights back.
        float[] s = [3f, 0f, 0f, 0f];
        float[] n = [0f, 0f, 0.5f, 0f];
        var mixed = new float[4];

        Contamination.Mix(s, n, mixed);

        // 0.8 * [1,0,0,0] + 0.2 * [0,0,1,0], divided by its max 0.8.
        Assert.Equal(1f, mixed[0], 6);
        Assert.Equal(0.25f, mixed[2], 6);
        Assert.Equal(0f, mixed[1]);
    }

    [Fact]
    public void A_short_contaminant_is_repeated()
    {
        float[] s = [1f, 1f, 1f, 1f];
        float[] n = [1f, -1f];
        var mixed = new float[4];

        Contamination.Mix(s, n, mixed);

        Assert.Equal(mixed[0], mixed[2]);
        Assert.Equal(mixed[1], mixed[3]);
        Assert.True(mixed[0] > mixed[1]);
    }

    [Fact]
    public void Silent_signals_are_refused()
    {
        var mixed = new float[3];
        Assert.Throws<ArgumentException>(() => Contamination.Mix(new float[3], [1f, 2f, 3f], mixed));
        Assert.Throws<ArgumentException>(() => Contamination.Mix([1f, 2f, 3f], new float[3], mixed));
    }

    [Fact]
    public void White_noise_is_reproducible_and_has_unit_variance()
    {
        var a = new float[20000];
        var b = new float[20000];
        Contamination.WhiteNoise(new Random(5), a);
        Contamination.WhiteNoise(new Random(5), b);

        Assert.Equal(a, b);
        double mean = a.Average(v => (double)v);
        double variance = a.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.95, 1.05);
    }
}

using LmacTd.Runtime.Metrics;

namespace LmacTd.Runtime.Tests.Metrics;

/// <summary>
/// The edges of the metrics code that Stryker.NET found untested (tests/README.md): softmax far from zero, the
/// mixture's divisor when it has no positive sample, odd-length noise, the guards, and the mean over windows.
/// </summary>
public class MetricsGuardAndEdgeTests
{
    [Fact]
    public void Softmax_of_large_logits_matches_the_formula_taken_after_a_shift()
    {
        // exp(1000) overflows a double: only a shift by the maximum gives finite values. Reference: e^(z - 1000) by hand.
        float[] logits = [1000f, 999f, 990f];
        double[] e = [1, Math.Exp(-1), Math.Exp(-10)];
        double sum = e.Sum();
        var p = Softmax.Of(logits);
        var pd = Softmax.OfDouble([1000, 999, 990]);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(e[i] / sum, p[i], 1e-7);
            Assert.Equal(e[i] / sum, pd[i], 1e-15);
        }

        Assert.Empty(Softmax.Of([]));
    }

    [Fact]
    public void Average_drop_under_the_recipe_takes_a_softmax_of_large_scores_without_overflow()
    {
        // OfDouble, reached through the recipe's AD: p holds probabilities, so a stable softmax of them is exact.
        double[] p = [0.7, 0.2, 0.1], q = [0.5, 0.3, 0.2];
        var m = Faithfulness.Compute(p, q, q, default, MetricConvention.SpeechBrain);
        double Soft(double[] v, int c) => Math.Exp(v[c]) / v.Sum(Math.Exp);
        double expected = 100 * Math.Max(0, Soft(p, 0) - Soft(q, 0)) / (Soft(p, 0) + 1e-10);
        Assert.Equal(expected, m.AD, 1e-9);
    }

    [Fact]
    public void A_mixture_with_no_positive_sample_is_divided_by_its_largest_magnitude()
    {
        float[] s = [-1f, -0.5f, -0.25f], n = [-0.1f, -0.3f, -0.2f];
        var output = new float[3];
        Contamination.Mix(s, n, output);
        Assert.Equal(-1f, output.Min(), 6);
        Assert.True(output.All(v => v < 0));
        // Same shape as a*s + b*n: the ratios are kept.
        double a = Contamination.SignalWeight / Math.Sqrt(s.Sum(v => (double)v * v));
        double b = Contamination.ContaminantWeight / Math.Sqrt(n.Sum(v => (double)v * v));
        double[] raw = [.. s.Select((v, i) => a * v + b * n[i])];
        for (int i = 0; i < 3; i++) Assert.Equal(raw[i] / raw.Max(Math.Abs), output[i], 5);
    }

    [Fact]
    public void A_mixture_with_positive_samples_peaks_at_one()
    {
        float[] s = [0.2f, -0.9f, 0.5f, 0.1f], n = [0.3f, 0.1f];
        var output = new float[5];
        Contamination.Mix(s, n, output);
        Assert.Equal(1f, output.Take(4).Max(), 6);
        Assert.Equal(0f, output[4]);
        Assert.Contains("output holds 3 samples", Assert.Throws<ArgumentException>(() => Contamination.Mix(s, n, new float[3])).Message);
        Assert.Contains("clip is empty", Assert.Throws<ArgumentException>(() => Contamination.Mix([], n, new float[3])).Message);
        Assert.Contains("contaminating signal is empty", Assert.Throws<ArgumentException>(() => Contamination.Mix(s, [], new float[4])).Message);
        Assert.Contains("Sample 0 is NaN", Assert.Throws<ArgumentException>(() => Contamination.Mix([float.NaN, 1f], n, new float[2])).Message);
        Assert.Contains("silent", Assert.Throws<ArgumentException>(() => Contamination.Mix([0f, 0f], n, new float[2])).Message);
    }

    [Fact]
    public void A_mixture_whose_largest_sample_is_zero_is_divided_by_its_largest_magnitude()
    {
        // max is exactly 0 (not positive): the magnitude is the divisor, not the zero.
        var output = new float[2];
        Contamination.Mix([0f, -1f], [0f, -2f], output);
        Assert.Equal([0f, -1f], output);
    }

    [Fact]
    public void White_noise_fills_an_odd_length_and_refuses_no_source()
    {
        var x = new float[100001];
        Contamination.WhiteNoise(new Random(3), x);
        Assert.NotEqual(0f, x[^1]);
        double mean = x.Average(v => (double)v), variance = x.Average(v => (double)v * v) - mean * mean;
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.97, 1.03);
        Assert.Throws<ArgumentNullException>(() => Contamination.WhiteNoise(null!, x));
    }

    [Fact]
    public void Compute_refuses_vectors_of_different_lengths_or_non_finite_values()
    {
        float[] p = [0.5f, 0.5f];
        Assert.Contains("differ in length", Assert.Throws<ArgumentException>(() => Faithfulness.Compute(p, p, [1f])).Message);
        Assert.Contains("differ in length", Assert.Throws<ArgumentException>(() => Faithfulness.Compute([0.5, 0.5], [1.0], [1.0])).Message);
        Assert.Throws<ArgumentException>(() => Faithfulness.Compute([double.NaN, 0.5], [0.5, 0.5], [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => Faithfulness.Compute([0.5, 0.5], [0.5, 0.5], [0.5, double.PositiveInfinity]));
        Assert.Contains("Unknown metric convention", Assert.Throws<ArgumentException>(
            () => Faithfulness.Compute([0.5, 0.5], [0.5, 0.5], [0.5, 0.5], default, (MetricConvention)99)).Message);
        Assert.Contains("probability vector is empty", Assert.Throws<ArgumentException>(() => Faithfulness.Compute(Array.Empty<double>(), [], [])).Message);
        Assert.Throws<ArgumentException>(() => Softmax.ArgMax<float>([]));
        Assert.Throws<ArgumentNullException>(() => Faithfulness.Of(null!));
        Assert.Throws<ArgumentNullException>(() => Faithfulness.OfWindows(null!));
        Assert.Contains("No windows", Assert.Throws<ArgumentException>(() => Faithfulness.OfWindows([])).Message);
        Assert.Throws<ArgumentNullException>(() => new MetricSet().Add(null!));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Sparseness.Gini([])).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => Sparseness.Gini([1f, float.NaN])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Complexity.Entropy([])).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => Complexity.Entropy([1f, float.NaN])).Message);
    }

    [Fact]
    public void Over_windows_pc_qc_and_rc_are_the_means()
    {
        FaithfulnessMetrics W(double pc, double qc, double rc) => new(0, pc, qc, rc, 0, 0, 0, 0, pc - rc, 1, double.NaN, double.NaN);
        var clip = Faithfulness.OfWindows([W(0.9, 0.2, 0.1), W(0.7, 0.6, 0.3), W(0.8, 0.4, 0.5)]);
        Assert.Equal(0.8, clip.PC, 12);
        Assert.Equal(0.4, clip.QC, 12);
        Assert.Equal(0.3, clip.RC, 12);
    }
}

using LmacTd.Runtime.Metrics;

namespace LmacTd.Runtime.Tests.Metrics;

/// <summary>
/// Both conventions against the formulas written out here, independently of the code under test: the spec's
/// section 6 for <see cref="MetricConvention.Paper"/>, the recipe's code as the spec describes it for
/// <see cref="MetricConvention.SpeechBrain"/> (softmax again inside AD, Quantus' max normalisation in SPS).
/// </summary>
public class MetricConventionTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Both_conventions_match_their_formulas_written_out(int seed)
    {
        var random = new Random(seed);
        var p = Probabilities(random, 10, sharp: 4);
        var q = Probabilities(random, 10, sharp: 2);
        var r = Probabilities(random, 10, sharp: 1);
        var map = Enumerable.Range(0, 500).Select(_ => (float)(random.NextDouble() * random.NextDouble() * 3)).ToArray();
        int c = Array.IndexOf(p, p.Max());

        var paper = Faithfulness.Compute(p, q, r, map);
        var recipe = Faithfulness.Compute(p, q, r, map, MetricConvention.SpeechBrain);

        Assert.Equal(100 * Math.Max(0, p[c] - q[c]) / (p[c] + 1e-10), paper.AD, 12);
        var sp = NaiveSoftmax(p);
        var sq = NaiveSoftmax(q);
        Assert.Equal(100 * Math.Max(0, sp[c] - sq[c]) / (sp[c] + 1e-10), recipe.AD, 12);
        Assert.Equal(WrittenOutMetrics.Gini(map, normaliseByMax: false), paper.SPS, 12);
        Assert.Equal(WrittenOutMetrics.Gini(map, normaliseByMax: true), recipe.SPS, 12);
        Assert.Equal(WrittenOutMetrics.Entropy(map), paper.COMP, 10);
        Assert.Equal(WrittenOutMetrics.Entropy(map), recipe.COMP, 10);
        foreach (var m in new[] { paper, recipe })
        {
            Assert.Equal(c, m.ClassIndex);
            Assert.Equal(q[c] > p[c] ? 100.0 : 0.0, m.AI);
            Assert.Equal(100 * Math.Max(0, q[c] - p[c]) / (1 - p[c] + 1e-10), m.AG, 12);
            Assert.Equal(p[c] - r[c], m.FF, 12);
            Assert.Equal(Array.IndexOf(q, q.Max()) == c ? 1.0 : 0.0, m.FidIn);
        }
    }

    [Fact]
    public void The_recipes_softmax_inside_ad_changes_the_figure_as_the_spec_measured()
    {
        // A confident input and an explanation that lost the class: the written AD is near 100, the recipe's much
        // lower (a softmax of probabilities is close to uniform), as the spec's clip (99.94 against 40.09).
        double[] p = [0.999, 0.0005, 0.0005];
        double[] q = [0.0004, 0.9990, 0.0006];

        var paper = Faithfulness.Compute(p, q, p);
        var recipe = Faithfulness.Compute(p, q, p, convention: MetricConvention.SpeechBrain);

        Assert.True(paper.AD > 99, $"paper AD {paper.AD}");
        Assert.True(recipe.AD < 70, $"recipe AD {recipe.AD}");
        var sp = NaiveSoftmax(p);
        var sq = NaiveSoftmax(q);
        Assert.Equal(100 * (sp[0] - sq[0]) / (sp[0] + 1e-10), recipe.AD, 12);
    }

    [Fact]
    public void Sps_normalisation_is_the_recipes_small_difference_and_no_other()
    {
        var map = new float[1000];
        for (int i = 0; i < map.Length; i++) map[i] = i % 10 == 0 ? 0.2f : 0f;

        double paper = Faithfulness.Compute([1.0, 0.0], [1.0, 0.0], [1.0, 0.0], map).SPS;
        double recipe = Faithfulness.Compute([1.0, 0.0], [1.0, 0.0], [1.0, 0.0], map, MetricConvention.SpeechBrain).SPS;

        // Dividing by the max (0.2) makes the 1e-7 offset five times smaller relative to the weights.
        Assert.NotEqual(paper, recipe);
        Assert.InRange(Math.Abs(paper - recipe), 1e-9, 1e-5);
        Assert.Equal(WrittenOutMetrics.Gini(map, normaliseByMax: true), recipe, 12);
    }

    [Fact]
    public void Of_follows_the_convention_the_evidence_was_made_for()
    {
        var random = new Random(8);
        var p = Probabilities(random, 6, 3).Select(v => (float)v).ToArray();
        var q = Probabilities(random, 6, 1).Select(v => (float)v).ToArray();
        var r = Probabilities(random, 6, 1).Select(v => (float)v).ToArray();
        float[] map = [0.5f, 0.1f, 0f, 2f];
        var paper = new FaithfulnessEvidence(p, q, r, new float[6], new float[6], map, [2, 2]);
        var recipe = new FaithfulnessEvidence(p, q, r, new float[6], new float[6], map, [2, 2]) { Convention = MetricConvention.SpeechBrain };

        int c = Array.IndexOf(p, p.Max());
        var sp = NaiveSoftmax([.. p.Select(v => (double)v)]);
        var sq = NaiveSoftmax([.. q.Select(v => (double)v)]);
        Assert.Equal(100 * Math.Max(0, (double)p[c] - q[c]) / (p[c] + 1e-10), Faithfulness.Of(paper).AD, 10);
        Assert.Equal(100 * Math.Max(0, sp[c] - sq[c]) / (sp[c] + 1e-10), Faithfulness.Of(recipe).AD, 10);
        Assert.Equal(WrittenOutMetrics.Gini(map, normaliseByMax: true), Faithfulness.Of(recipe).SPS, 12);
    }

    [Fact]
    public void An_unknown_convention_is_refused() =>
        Assert.Throws<ArgumentException>(() => Faithfulness.Compute([1.0], [1.0], [1.0], convention: (MetricConvention)7));

    private static double[] Probabilities(Random random, int n, double sharp)
    {
        var e = Enumerable.Range(0, n).Select(_ => Math.Exp(sharp * random.NextDouble() * 3)).ToArray();
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    // exp(x) / sum exp, unshifted: the inputs are probabilities, so nothing overflows.
    private static double[] NaiveSoftmax(double[] x)
    {
        double sum = x.Sum(Math.Exp);
        return [.. x.Select(v => Math.Exp(v) / sum)];
    }
}

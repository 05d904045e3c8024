using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Tests.Metrics;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>The public members that stand in for the types made internal (the manifest, the evidence, the relevance curve).</summary>
public class PublicResultMembersTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    [Fact]
    public void The_package_says_its_rate_clip_length_and_interpreters()
    {
        var package = tiny.Package;
        Assert.Equal(16000, package.SampleRate);
        Assert.Equal(5.0, package.ClipSeconds, 12);
        Assert.Equal([InterpreterKind.LmacTd, InterpreterKind.LmacStft], package.InterpreterKinds);
    }

    [Theory]
    [InlineData("lmac-td")]
    [InlineData("lmac-stft")]
    public void A_window_gives_the_classifiers_probabilities_on_its_explanation_and_masked_out_signal(string kindName)
    {
        var e = tiny.Of(InterpreterKind.Parse(kindName)).Explain(TestData.Noise(3 * 16000, 31), 16000);

        var w = Assert.Single(e.Windows);
        var evidence = w.Evidence!;
        // The softmax of the classifier's logits on each signal, taken here in double.
        var q = WrittenOutMetrics.Softmax(evidence.LogitsExplanation.Select(v => (double)v));
        var r = WrittenOutMetrics.Softmax(evidence.LogitsMaskedOut.Select(v => (double)v));
        Assert.Equal(q.Length, w.ExplanationProbabilities!.Length);
        for (int k = 0; k < q.Length; k++)
        {
            Assert.Equal(q[k], w.ExplanationProbabilities[k], 6);
            Assert.Equal(r[k], w.MaskedOutProbabilities![k], 6);
        }

        Assert.Equal(w.Metrics!.QC, w.ExplanationProbabilities[w.Metrics.ClassIndex], 6);
        Assert.Equal(w.Metrics.RC, w.MaskedOutProbabilities![w.Metrics.ClassIndex], 6);
    }

    [Fact]
    public void Without_evidence_a_window_has_no_such_probabilities()
    {
        using var explainer = new Runtime.Explaining.Explainer(tiny.Package, TestData.Options(InterpreterKind.LmacTd, evidence: false));
        var w = Assert.Single(explainer.Explain(TestData.Noise(16000, 32), 16000).Windows);
        Assert.Null(w.ExplanationProbabilities);
        Assert.Null(w.MaskedOutProbabilities);
    }

    [Fact]
    public void The_relevance_curve_spans_the_input_one_score_per_hop()
    {
        var e = tiny.LmacTd.Explain(TestData.Noise(22050 * 7 / 2, 33), 22050);

        // 10 ms in whole samples of 22.05 kHz: 220 samples; ceil(77175 / 220) scores.
        Assert.Equal(220.0 / 22050, e.RelevanceHopSeconds, 12);
        Assert.Equal((77175 + 219) / 220, e.RelevanceCurve.Count);
        Assert.All(e.RelevanceCurve, v => Assert.InRange(v, 0f, 1f));
        Assert.All(e.Segments, s => Assert.True(s.EndSeconds <= e.DurationSeconds + e.RelevanceHopSeconds));
    }
}

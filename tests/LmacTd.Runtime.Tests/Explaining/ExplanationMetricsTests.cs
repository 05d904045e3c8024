using System.Text.Json;
using LmacTd.Cli;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Tests.Metrics;

namespace LmacTd.Runtime.Tests.Explaining;

public class ExplanationMetricsTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    [Theory]
    [InlineData("lmac-td")]
    [InlineData("lmac-stft")]
    public void A_clip_carries_the_metrics_of_its_evidence(string kindName)
    {
        var kind = InterpreterKind.Parse(kindName);
        var e = tiny.Of(kind).Explain(TestData.Sine(16000, 16000, 440), 16000);

        var window = Assert.Single(e.Windows);
        var ev = window.Evidence!;
        // The spec's formulas written out, on softmaxes of the window's own logits taken here.
        var p = WrittenOutMetrics.Softmax(window.Logits.Select(v => (double)v));
        var q = WrittenOutMetrics.Softmax(ev.LogitsExplanation.Select(v => (double)v));
        var r = WrittenOutMetrics.Softmax(ev.LogitsMaskedOut.Select(v => (double)v));
        var (c, ai, ad, ag, ff, fidIn) = WrittenOutMetrics.Scores(p, q, r);
        var m = e.Metrics!;
        Assert.Same(m, window.Metrics);
        Assert.Equal(c, m.ClassIndex);
        Assert.Equal(p[c], m.PC, 6);
        Assert.Equal(q[c], m.QC, 6);
        Assert.Equal(r[c], m.RC, 6);
        Assert.Equal(ai, m.AI);
        Assert.Equal(ad, m.AD, 3);
        Assert.Equal(ag, m.AG, 3);
        Assert.Equal(ff, m.FF, 6);
        Assert.Equal(fidIn, m.FidIn);
        Assert.Equal(WrittenOutMetrics.Gini(ev.Map), m.SPS, 9);
        Assert.Equal(WrittenOutMetrics.Entropy(ev.Map), m.COMP, 9);
    }

    [Fact]
    public void Long_audio_carries_the_mean_of_its_windows_metrics()
    {
        var e = tiny.LmacTd.Explain(TestData.Noise(16000 * 12, 3), 16000);

        Assert.True(e.Windows.Count > 1);
        var windows = e.Windows.Select(w => w.Metrics!).ToList();
        Assert.Equal(windows.Average(m => m.FF), e.Metrics!.FF, 12);
        Assert.Equal(windows.Average(m => m.AD), e.Metrics.AD, 12);
        Assert.Equal(windows.Average(m => m.SPS), e.Metrics.SPS, 12);
    }

    [Fact]
    public void The_explain_report_holds_the_evidence()
    {
        using var dir = new TempDir();
        var input = dir.File("tone.wav");
        WavWriter.Write(input, TestData.Sine(16000, 16000, 440), 16000);

        int code = CommandLine.Run(["explain", input, "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1"], new StringWriter(), new StringWriter());

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(File.ReadAllBytes(dir.File("tone.json")));
        var evidence = json.RootElement.GetProperty("evidence");
        double pc = evidence.GetProperty("p_c").GetDouble();
        double qc = evidence.GetProperty("q_c").GetDouble();
        Assert.Equal(json.RootElement.GetProperty("probability").GetDouble(), pc, 6);
        Assert.Equal(qc > pc ? 100.0 : 0.0, evidence.GetProperty("AI").GetDouble());
        foreach (var name in new[] { "r_c", "AD", "AG", "FF", "FidIn", "SPS", "COMP" })
            Assert.True(double.IsFinite(evidence.GetProperty(name).GetDouble()), name);
    }
}

using System.Text.Json;
using LmacTd.Cli;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

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

        var ev = Assert.Single(e.Windows).Evidence!;
        var expected = Faithfulness.Compute(ev.P, ev.Q, ev.R, ev.Map);
        Assert.Equal(expected, e.Metrics);
        Assert.Equal(expected, e.Windows[0].Metrics);
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

using System.Text.Json;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Tests.Explaining;
using LmacTd.Runtime.Tests.Packages;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary><c>lmactd eval --metrics</c>: the convention is recorded and each clip's figures follow it.</summary>
public class EvalMetricsConventionTests
{
    [Fact]
    public void Speechbrain_metrics_follow_the_recipes_formulas_and_are_recorded()
    {
        using var dir = new TempDir();
        WavWriter.Write(dir.File("a-tone.wav"), TestData.Sine(16000, 16000, 440), 16000);
        WavWriter.Write(dir.File("b-noise.wav"), TestData.Noise(24000, 7), 16000);
        var json = dir.File("e.json");
        var paperJson = dir.File("p.json");

        var (code, output, error) = CliRunner.Run("eval", dir.Path, "--model", TestData.TinyPackage, "--interpreter", "both", "--metrics", "speechbrain",
            "--json", json, "--device", "cpu", "--threads", "1");
        var (paperCode, _, paperError) = CliRunner.Run("eval", dir.Path, "--model", TestData.TinyPackage, "--interpreter", "both",
            "--json", paperJson, "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.True(paperCode == 0, paperError);
        Assert.Contains("metrics: speechbrain", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        using var paperDoc = JsonDocument.Parse(File.ReadAllBytes(paperJson));
        Assert.Equal("speechbrain", doc.RootElement.GetProperty("metrics").GetString());
        Assert.Equal("paper", paperDoc.RootElement.GetProperty("metrics").GetString());

        var package = ModelPackage.Load(TestData.TinyPackage);
        foreach (var kind in new[] { InterpreterKind.LmacTd, InterpreterKind.LmacStft })
        {
            using var explainer = new Explainer(package, new ExplainerOptions
            {
                Interpreter = kind,
                Inference = TestData.Options(kind).Inference,
                MetricConvention = MetricConvention.SpeechBrain,
            });
            var clips = doc.RootElement.GetProperty("interpreters").GetProperty(kind.Name).GetProperty("clips").EnumerateArray().ToList();
            var paperClips = paperDoc.RootElement.GetProperty("interpreters").GetProperty(kind.Name).GetProperty("clips").EnumerateArray().ToList();
            Assert.Equal(2, clips.Count);
            for (int i = 0; i < clips.Count; i++)
            {
                var window = Assert.Single(explainer.Explain(AudioDecoder.Load(clips[i].GetProperty("path").GetString()!)).Windows);
                RecipeLmacEvidenceTests.AssertRecipeFigures(clips[i].GetProperty("AD").GetDouble(), clips[i].GetProperty("SPS").GetDouble(), window.Evidence!);
                // What the conventions share is the same in both runs; L-MAC's q and r come from the 425-frame run.
                string[] shared = kind == InterpreterKind.LmacTd ? ["p_c", "q_c", "r_c", "AI", "AG", "FF", "FidIn", "COMP"] : ["p_c"];
                foreach (var name in shared)
                    Assert.Equal(paperClips[i].GetProperty(name).GetDouble(), clips[i].GetProperty(name).GetDouble(), 9);
                if (kind == InterpreterKind.LmacStft)
                    Assert.NotEqual(paperClips[i].GetProperty("q_c").GetDouble(), clips[i].GetProperty("q_c").GetDouble());
            }
        }

        Assert.DoesNotContain("fixed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Speechbrain_metrics_with_a_classifier_of_fixed_frames_say_that_l_macs_q_and_r_are_at_431()
    {
        using var package = FixedFramesPackage.Make();
        using var dir = new TempDir();
        WavWriter.Write(dir.File("a-tone.wav"), TestData.Sine(16000, 16000, 440), 16000);

        var (code, _, error) = CliRunner.Run("eval", dir.Path, "--model", package.Path, "--interpreter", "lmac-stft", "--metrics", "speechbrain",
            "--device", "cpu", "--threads", "1");
        var (tdCode, _, tdError) = CliRunner.Run("eval", dir.Path, "--model", package.Path, "--interpreter", "lmac-td", "--metrics", "speechbrain",
            "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.True(tdCode == 0, tdError);
        Assert.Contains("warning: tiny-random's classifier takes a fixed 431 frames, so L-MAC's q and r are those at 431", error, StringComparison.Ordinal);
        Assert.DoesNotContain("fixed", tdError, StringComparison.Ordinal);
    }
}

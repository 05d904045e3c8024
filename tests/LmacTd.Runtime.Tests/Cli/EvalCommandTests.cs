using System.Text.Json;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

public class EvalCommandTests
{
    private static TempDir MakeSet(bool withBrokenFile)
    {
        var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        WavWriter.Write(dir.File("a-tone.wav"), TestData.Sine(16000, 16000, 440), 16000);
        WavWriter.Write(dir.File("b-noise.wav"), TestData.Noise(24000, 7), 16000);
        WavWriter.Write(Path.Combine(dir.Path, "sub", "c-chirp.wav"), TestData.Sine(22050, 22050, 1000).Select((v, i) => v * (float)i / 22050).ToArray(), 22050, WavSampleFormat.Pcm16);
        if (withBrokenFile) File.WriteAllBytes(dir.File("d-broken.wav"), "RIFF garbage"u8.ToArray());
        return dir;
    }

    [Fact]
    public void Both_interpreters_give_per_clip_metrics_an_aggregate_and_the_papers_table()
    {
        using var dir = MakeSet(withBrokenFile: false);
        var json = Path.Combine(dir.Path, "out", "e.json");
        var md = Path.Combine(dir.Path, "out", "e.md");

        var (code, output, error) = CliRunner.Run("eval", dir.Path, "--model", TestData.TinyPackage, "--interpreter", "both",
            "--json", json, "--markdown", md, "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var interpreters = doc.RootElement.GetProperty("interpreters");
        foreach (var name in new[] { "lmac-td", "lmac-stft" })
        {
            var run = interpreters.GetProperty(name);
            var clips = run.GetProperty("clips");
            Assert.Equal(3, clips.GetArrayLength());
            foreach (var clip in clips.EnumerateArray())
            {
                double pc = clip.GetProperty("p_c").GetDouble();
                double qc = clip.GetProperty("q_c").GetDouble();
                Assert.InRange(pc, 0, 1);
                Assert.Equal(qc > pc ? 100.0 : 0.0, clip.GetProperty("AI").GetDouble());
                Assert.InRange(clip.GetProperty("SPS").GetDouble(), 0, 1);
                Assert.True(clip.GetProperty("COMP").GetDouble() > 0);
            }

            var agg = run.GetProperty("aggregate");
            Assert.Equal(3, agg.GetProperty("clips").GetInt32());
            double meanFf = clips.EnumerateArray().Average(c => c.GetProperty("FF").GetDouble());
            Assert.Equal(meanFf, agg.GetProperty("FF").GetDouble(), 12);
            Assert.False(agg.TryGetProperty("accuracy", out _));
        }

        var table = File.ReadAllText(md);
        Assert.Contains("| method | AI | AD | AG | FF | Fid-In | SPS | COMP |", table, StringComparison.Ordinal);
        Assert.Contains("| L-MAC |", table, StringComparison.Ordinal);
        Assert.Contains("| LMAC-TD alpha ", table, StringComparison.Ordinal);
        Assert.Contains(table.Trim(), output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_clip_is_reported_and_the_run_goes_on()
    {
        using var dir = MakeSet(withBrokenFile: true);
        var json = Path.Combine(dir.Path, "e.json");

        var (code, _, error) = CliRunner.Run("eval", dir.Path, "--model", TestData.TinyPackage, "--json", json, "--device", "cpu", "--threads", "1");

        Assert.Equal(1, code);
        Assert.Contains("d-broken.wav", error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var run = doc.RootElement.GetProperty("interpreters").GetProperty("lmac-td");
        var broken = Assert.Single(run.GetProperty("clips").EnumerateArray(), c => c.TryGetProperty("error", out _));
        Assert.EndsWith("d-broken.wav", broken.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, run.GetProperty("aggregate").GetProperty("clips").GetInt32());
        Assert.Equal(1, run.GetProperty("aggregate").GetProperty("failed").GetInt32());
    }

    [Fact]
    public void A_csv_with_labels_gives_accuracy_and_contamination_is_reproducible_from_the_seed()
    {
        using var dir = MakeSet(withBrokenFile: false);
        var csv = dir.File("set.csv");
        var package = LmacTd.Runtime.Packages.ModelPackage.Load(TestData.TinyPackage);
        File.WriteAllLines(csv, ["path,label", $"a-tone.wav,{package.Labels[0]}", $"b-noise.wav,{package.Labels[1]}", $"sub/c-chirp.wav,{package.Labels[2]}"]);

        string RunOnce(string contaminate, int seed)
        {
            var json = Path.Combine(dir.Path, $"{contaminate}-{seed}.json");
            var (code, _, error) = CliRunner.Run("eval", csv, "--model", TestData.TinyPackage, "--contaminate", contaminate, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--json", json, "--device", "cpu", "--threads", "1");
            Assert.True(code == 0, error);
            return json;
        }

        static double[] Pc(string json, double? expectedAccuracy = null)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            var run = doc.RootElement.GetProperty("interpreters").GetProperty("lmac-td");
            var clips = run.GetProperty("clips").EnumerateArray().ToList();
            double accuracy = run.GetProperty("aggregate").GetProperty("accuracy").GetDouble();
            // The share of clips whose record's prediction is its label; on clean input, the share computed here.
            Assert.Equal(clips.Count(c => c.GetProperty("predicted").GetString() == c.GetProperty("label").GetString()) / (double)clips.Count, accuracy, 12);
            if (expectedAccuracy is { } expected) Assert.Equal(expected, accuracy, 12);
            return [.. clips.Select(c => c.GetProperty("p_c").GetDouble())];
        }

        // The clean run's accuracy from the CSV's labels and this test's own explanations of the files.
        using var explainer = new LmacTd.Runtime.Explaining.Explainer(package, TestData.Options(LmacTd.Runtime.Packages.InterpreterKind.LmacTd));
        string[] files = ["a-tone.wav", "b-noise.wav", "sub/c-chirp.wav"];
        double expectedClean = files.Select((f, i) => explainer.Explain(AudioDecoder.Load(dir.File(f))).Label == package.Labels[i] ? 1.0 : 0.0).Average();
        var clean = Pc(RunOnce("none", 0), expectedClean);
        var noisyA = Pc(RunOnce("noise", 3));
        var noisyB = Pc(RunOnce("noise", 3));
        var mixed = Pc(RunOnce("mixture", 3));

        Assert.Equal(noisyA, noisyB);
        Assert.NotEqual(clean, noisyA);
        Assert.NotEqual(clean, mixed);
    }

    [Fact]
    public void A_missing_input_is_a_one_line_error()
    {
        var (code, _, error) = CliRunner.Run("eval", "/no/such/folder", "--model", TestData.TinyPackage);

        Assert.Equal(2, code);
        Assert.Contains("/no/such/folder", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}

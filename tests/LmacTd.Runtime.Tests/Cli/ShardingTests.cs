using System.Text.Json;
using LmacTd.Cli.Commands;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary><c>--shard</c> on eval and explain, and <c>lmactd eval merge</c>.</summary>
public class ShardingTests
{
    private static readonly string Examples = Path.Combine(TestData.RepoRoot, "models", "default", "examples");

    private static string[] Eval(string json, params string[] more) =>
        ["eval", Examples, "--model", TestData.TinyPackage, "--interpreter", "both", "--contaminate", "mixture", "--seed", "5",
         "--device", "cpu", "--threads", "1", "--json", json, .. more];

    [Fact]
    public void One_three_and_four_shards_merge_to_the_unsharded_run()
    {
        using var dir = new TempDir();
        var whole = dir.File("whole.json");
        var (code, _, error) = CliRunner.Run(Eval(whole, "--markdown", dir.File("whole.md")));
        Assert.True(code == 0, error);

        foreach (int n in new[] { 1, 3, 4 })
        {
            var parts = new List<string>();
            for (int i = 0; i < n; i++)
            {
                parts.Add(dir.File($"part-{n}-{i}.json"));
                (code, _, error) = CliRunner.Run(Eval(parts[^1], "--shard", $"{i}/{n}"));
                Assert.True(code == 0, error);
            }

            // Every clip in exactly one part, in shard i mod n.
            var indices = parts.SelectMany((p, i) => ClipIndices(p).Select(c => (Clip: c, Shard: i))).ToList();
            Assert.Equal(Enumerable.Range(0, 5), indices.Select(x => x.Clip).Order());
            Assert.All(indices, x => Assert.Equal(x.Clip % n, x.Shard));

            var merged = dir.File($"merged-{n}.json");
            (code, var output, error) = CliRunner.Run(["eval", "merge", .. parts.AsEnumerable().Reverse(), "--json", merged, "--markdown", dir.File($"merged-{n}.md")]);
            Assert.True(code == 0, error);
            AssertSameEvaluation(whole, merged);
            Assert.Equal(File.ReadAllText(dir.File("whole.md")), File.ReadAllText(dir.File($"merged-{n}.md")));
            Assert.Contains("| LMAC-TD alpha", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Merge_refuses_parts_that_do_not_belong_together()
    {
        using var dir = new TempDir();
        var p0 = dir.File("p0.json");
        var p1 = dir.File("p1.json");
        Assert.Equal(0, CliRunner.Run(Eval(p0, "--shard", "0/2")).Code);
        Assert.Equal(0, CliRunner.Run(Eval(p1, "--shard", "1/2")).Code);
        var otherSeed = dir.File("p1-seed.json");
        Assert.Equal(0, CliRunner.Run(["eval", Examples, "--model", TestData.TinyPackage, "--interpreter", "both", "--contaminate", "mixture", "--seed", "6",
            "--device", "cpu", "--threads", "1", "--json", otherSeed, "--shard", "1/2"]).Code);
        var otherModel = dir.File("p1-model.json");
        File.WriteAllText(otherModel, File.ReadAllText(p1).Replace("\"modelSha256\": \"", "\"modelSha256\": \"0", StringComparison.Ordinal));

        AssertRefused([p0], "missing: shard(s) 1/2");
        AssertRefused([p0, p1, p1], "repeated: shard 1/2");
        AssertRefused([p0, otherSeed], "differ in seed");
        AssertRefused([p0, otherModel], "differ in model sha256");
        AssertRefused([p0, dir.File("whole-not-there.json")], "whole-not-there.json");

        void AssertRefused(string[] parts, string expected)
        {
            var merged = dir.File("merged.json");
            var (code, _, error) = CliRunner.Run(["eval", "merge", .. parts, "--json", merged]);
            Assert.Equal(2, code);
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.False(File.Exists(merged));
        }
    }

    [Fact]
    public void Explain_shards_split_the_inputs_without_overlap()
    {
        using var dir = new TempDir();
        var inputs = Path.Combine(dir.Path, "in");
        Directory.CreateDirectory(inputs);
        for (int i = 0; i < 5; i++) WavWriter.Write(Path.Combine(inputs, $"c{i}.wav"), TestData.Sine(4000, 16000, 300 + 50 * i), 16000);

        var outputs = new List<string[]>();
        for (int i = 0; i < 2; i++)
        {
            var outDir = dir.File($"out{i}");
            var (code, _, error) = CliRunner.Run("explain", inputs, "--shard", $"{i}/2", "--out", outDir, "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1");
            Assert.True(code == 0, error);
            outputs.Add([.. Directory.GetFiles(outDir, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!]);
        }

        Assert.Equal(["c0", "c2", "c4"], outputs[0]);
        Assert.Equal(["c1", "c3"], outputs[1]);
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX=2 JOB_COMPLETIONS=4", "2/4")]
    [InlineData("SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=3", "0/3")]
    [InlineData("SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=3", "2/4")]
    [InlineData("SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=3 SLURM_ARRAY_TASK_STEP=2", "2/4")]
    [InlineData("JOB_COMPLETION_INDEX=3", "JOB_COMPLETIONS is not")]
    [InlineData("SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_COUNT=4", "INDEX must be 0 to COUNT - 1")]
    [InlineData("", "neither JOB_COMPLETION_INDEX")]
    public void Shard_auto_reads_the_schedulers_variables(string variables, string expected)
    {
        var env = variables.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        var (shard, error) = ShardOption.Resolve("auto", name => env.GetValueOrDefault(name));
        if (shard is not null) Assert.Equal(expected, shard.ToString());
        else Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.True(shard is null != error is null);
    }

    internal static IEnumerable<int> ClipIndices(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        return [.. doc.RootElement.GetProperty("interpreters").GetProperty("lmac-td").GetProperty("clips").EnumerateArray().Select(c => c.GetProperty("index").GetInt32())];
    }

    /// <summary>Per-clip records identical, as JSON text; aggregates equal within 1e-12; the same header but the shard.</summary>
    internal static void AssertSameEvaluation(string expectedJson, string actualJson)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(expectedJson));
        using var actual = JsonDocument.Parse(File.ReadAllBytes(actualJson));
        Assert.False(actual.RootElement.TryGetProperty("shard", out _));
        foreach (var field in new[] { "model", "modelSha256", "input", "inputDigest", "inputCount", "contaminate", "seed" })
            Assert.Equal(expected.RootElement.GetProperty(field).GetRawText(), actual.RootElement.GetProperty(field).GetRawText());
        var runs = expected.RootElement.GetProperty("interpreters").EnumerateObject().ToList();
        Assert.Equal(runs.Select(r => r.Name), actual.RootElement.GetProperty("interpreters").EnumerateObject().Select(r => r.Name));
        foreach (var run in runs)
        {
            var other = actual.RootElement.GetProperty("interpreters").GetProperty(run.Name);
            Assert.Equal(run.Value.GetProperty("clips").EnumerateArray().Select(c => c.GetRawText()),
                other.GetProperty("clips").EnumerateArray().Select(c => c.GetRawText()));
            foreach (var figure in run.Value.GetProperty("aggregate").EnumerateObject())
            {
                var mine = other.GetProperty("aggregate").GetProperty(figure.Name);
                if (figure.Value.ValueKind == JsonValueKind.Null) Assert.Equal(JsonValueKind.Null, mine.ValueKind);
                else Assert.Equal(figure.Value.GetDouble(), mine.GetDouble(), 1e-12);
            }
        }
    }
}

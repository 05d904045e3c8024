using System.Text.RegularExpressions;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>
/// The commands of deploy/kubernetes and deploy/slurm, run here as the schedulers would run them (each shard a
/// separate process with the scheduler's variables set, then the merge), give what one unsharded run gives.
/// No cluster is needed: what a scheduler adds is the variables and the shared folder, both simulated.
/// </summary>
public partial class DeployRecipeTests
{
    private static readonly string Deploy = Path.Combine(TestData.RepoRoot, "deploy");
    private static readonly string Examples = Path.Combine(TestData.RepoRoot, "models", "default", "examples");
    private static readonly string Options = $"--model {TestData.TinyPackage} --device cpu --interpreter both --contaminate mixture --seed 3";

    [GeneratedRegex(@"^\s*- (lmactd eval .*)$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [Fact]
    public void The_kubernetes_indexed_job_and_merge_job_give_the_unsharded_result()
    {
        if (OperatingSystem.IsWindows()) return; // The recipes' commands are POSIX shell.
        using var dir = new TempDir();
        var shards = File.ReadAllText(Path.Combine(Deploy, "kubernetes", "eval-shards.yaml"));
        var merge = File.ReadAllText(Path.Combine(Deploy, "kubernetes", "eval-merge.yaml"));
        // The count --shard auto reads is the Job's completions.
        Assert.Equal(Regex.Match(shards, @"completions: (\d+)").Groups[1].Value,
            Regex.Match(shards, @"name: JOB_COMPLETIONS\s+value: ""(\d+)""").Groups[1].Value);
        var env = Environment(dir);

        const int count = 2;
        for (int i = 0; i < count; i++)
        {
            var (code, _, error) = CliProcess.Run("sh", ["-c", CommandLine().Match(shards).Groups[1].Value],
                new Dictionary<string, string>(env) { ["JOB_COMPLETION_INDEX"] = $"{i}", ["JOB_COMPLETIONS"] = $"{count}" });
            Assert.True(code == 0, error);
        }

        var merged = CliProcess.Run("sh", ["-c", CommandLine().Match(merge).Groups[1].Value], env);
        Assert.True(merged.Code == 0, merged.Err);
        AssertUnsharded(dir, env["PARTS"], count);
    }

    [Fact]
    public void The_slurm_array_and_its_dependent_merge_give_the_unsharded_result()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        var env = Environment(dir);
        env["LMACTD"] = Path.Combine(env["PATH"].Split(':')[0], "lmactd");

        // An array given as --array=1-3: task ids from 1, so the shard index is the id less SLURM_ARRAY_TASK_MIN.
        const int count = 3;
        for (int id = 1; id <= count; id++)
        {
            var (code, _, error) = CliProcess.Run("bash", [Path.Combine(Deploy, "slurm", "eval-array.sbatch")],
                new Dictionary<string, string>(env) { ["SLURM_ARRAY_TASK_ID"] = $"{id}", ["SLURM_ARRAY_TASK_COUNT"] = $"{count}", ["SLURM_ARRAY_TASK_MIN"] = "1" });
            Assert.True(code == 0, error);
        }

        var merged = CliProcess.Run("bash", [Path.Combine(Deploy, "slurm", "merge.sbatch")], env);
        Assert.True(merged.Code == 0, merged.Err);
        AssertUnsharded(dir, env["PARTS"], count);
    }

    private static Dictionary<string, string> Environment(TempDir dir) => new()
    {
        ["PATH"] = $"{CliProcess.WrapperFolder(dir)}:{System.Environment.GetEnvironmentVariable("PATH")}",
        ["DATA"] = Examples,
        ["PARTS"] = Path.Combine(dir.Path, "parts"),
        ["THREADS"] = "1",
        ["LMACTD_ARGS"] = Options,
    };

    // The merged report equals one unsharded run's, made here in-process from the same options.
    private static void AssertUnsharded(TempDir dir, string parts, int count)
    {
        Assert.Equal(count, Directory.GetFiles(parts, "part-*.json").Length);
        var whole = dir.File("whole.json");
        var (code, _, error) = CliRunner.Run(["eval", Examples, .. Options.Split(' '), "--threads", "1", "--json", whole]);
        Assert.True(code == 0, error);
        ShardingTests.AssertSameEvaluation(whole, Path.Combine(parts, "eval.json"));
        Assert.True(File.Exists(Path.Combine(parts, "eval.md")));
    }
}

using System.CommandLine;
using System.Globalization;

namespace LmacTd.Cli.Commands;

/// <summary>
/// <c>--shard INDEX/COUNT</c> (INDEX from 0) or <c>--shard auto</c>, which reads the scheduler's variables:
/// a Kubernetes Indexed Job's <c>JOB_COMPLETION_INDEX</c> with <c>JOB_COMPLETIONS</c> (Kubernetes does not set the
/// count; the recipe in deploy/kubernetes puts the Job's completions there), or a Slurm array's
/// <c>SLURM_ARRAY_TASK_ID</c> with <c>SLURM_ARRAY_TASK_COUNT</c>, <c>SLURM_ARRAY_TASK_MIN</c> and
/// <c>SLURM_ARRAY_TASK_STEP</c> (an array given as a range <c>MIN-MAX[:STEP]</c>).
/// </summary>
internal static class ShardOption
{
    /// <summary>The option, with its syntax checked at parse time.</summary>
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--shard")
        {
            Description = "Process only part INDEX (from 0) of COUNT of the sorted inputs; 'auto' takes them from " +
                          "JOB_COMPLETION_INDEX/JOB_COMPLETIONS (Kubernetes) or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (Slurm).",
            HelpName = "INDEX/COUNT|auto",
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && r.Tokens[0].Value != "auto" && Parse(r.Tokens[0].Value) is { Error: { } e })
                r.AddError(e);
        });
        return option;
    }

    /// <summary>The shard the option names, null for none; or why it names none.</summary>
    public static (Shard? Shard, string? Error) Resolve(string? value, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (value is null) return (null, null);
        if (value != "auto") return Parse(value);

        if (environment("JOB_COMPLETION_INDEX") is { } k8sIndex)
        {
            if (environment("JOB_COMPLETIONS") is not { } completions)
                return (null, "--shard auto: JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not (set it to the Job's completions in the pod's env)");
            return Parse($"{k8sIndex}/{completions}", "JOB_COMPLETION_INDEX/JOB_COMPLETIONS");
        }

        if (environment("SLURM_ARRAY_TASK_ID") is { } taskId)
        {
            if (!Int(taskId, out var id) || !Int(environment("SLURM_ARRAY_TASK_COUNT"), out var count)
                || !Int(environment("SLURM_ARRAY_TASK_MIN") ?? "0", out var min) || !Int(environment("SLURM_ARRAY_TASK_STEP") ?? "1", out var step) || step < 1)
                return (null, "--shard auto: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT (and SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_STEP when set) must be integers");
            if ((id - min) % step != 0)
                return (null, $"--shard auto: SLURM_ARRAY_TASK_ID {id} is not MIN {min} plus a multiple of STEP {step} (give the array as a range MIN-MAX[:STEP])");
            return Parse($"{(id - min) / step}/{count}", "SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN / SLURM_ARRAY_TASK_COUNT");
        }

        return (null, "--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (Slurm array) is set");
    }

    private static (Shard? Shard, string? Error) Parse(string value, string? from = null)
    {
        var source = from is null ? "" : $" (from {from})";
        var parts = value.Split('/');
        if (parts.Length != 2 || !Int(parts[0], out var index) || !Int(parts[1], out var count))
            return (null, $"--shard must be INDEX/COUNT or auto, got '{value}'{source}");
        if (count < 1 || index < 0 || index >= count)
            return (null, $"--shard INDEX must be 0 to COUNT - 1 and COUNT >= 1, got '{value}'{source}");
        return (new Shard(index, count), null);
    }

    private static bool Int(string? s, out int value) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}

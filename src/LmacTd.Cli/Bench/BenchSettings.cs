using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Bench;

/// <summary>The parsed arguments of <c>lmactd bench</c>.</summary>
/// <param name="Model">Model package folder; null for the bundled default.</param>
/// <param name="Input">An audio file to explain; null for the synthetic clip.</param>
/// <param name="Seconds">Length of the synthetic clip; null for one window of the model.</param>
/// <param name="Rounds">Timed rounds.</param>
/// <param name="Warmup">Untimed rounds first (at least one: it counts the windows and warms the sessions).</param>
/// <param name="Device">Execution device.</param>
/// <param name="Interpreter">Interpreter; null for the package's default.</param>
/// <param name="Threads">CPU threads per graph run; 0 for ONNX Runtime's choice.</param>
/// <param name="OrtCache">Folder of ONNX Runtime's optimised graphs; null to optimise on every open.</param>
/// <param name="GraphRuns">Also time the graph runs alone, on a second set of sessions.</param>
/// <param name="Json">Also write the results here as JSON.</param>
internal sealed record BenchSettings(
    string? Model = null,
    string? Input = null,
    double? Seconds = null,
    int Rounds = 10,
    int Warmup = 1,
    ExecutionDevice Device = ExecutionDevice.Auto,
    InterpreterKind? Interpreter = null,
    int Threads = 0,
    string? OrtCache = null,
    bool GraphRuns = true,
    string? Json = null)
{
    /// <summary>The longest synthetic clip, in seconds (an hour).</summary>
    public const double MaxSeconds = 3600;

    /// <summary>What is wrong with these settings before anything is opened, or null.</summary>
    public string? Problem()
    {
        if (Rounds < 1) return $"--rounds must be >= 1, got {Rounds}";
        if (Warmup < 1) return $"--warmup must be >= 1 (the first round counts the windows), got {Warmup}";
        if (Threads < 0) return $"--threads must be >= 0, got {Threads}";
        if (Seconds is { } s && !(s > 0 && s <= MaxSeconds)) return $"--seconds must be in (0, {MaxSeconds}], got {s}";
        if (Seconds is not null && Input is not null) return "--seconds sets the synthetic clip's length; it cannot go with --input";
        if (Input is not null && !File.Exists(Input)) return $"{Input}: no such file";
        if (Json is not null && Path.GetDirectoryName(Path.GetFullPath(Json)) is { } dir && !Directory.Exists(dir))
            return $"{Json}: folder {dir} does not exist";
        return null;
    }
}

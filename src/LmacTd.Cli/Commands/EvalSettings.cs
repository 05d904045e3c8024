using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>The parsed arguments of <c>lmactd eval</c>.</summary>
/// <param name="Input">A folder (searched recursively for audio) or a CSV of <c>path,label</c>.</param>
/// <param name="Labels">A CSV of <c>path,label</c> giving labels to a folder's files; null when none.</param>
/// <param name="Model">Model package folder; null for the bundled default.</param>
/// <param name="Interpreters">The interpreters to evaluate, one table row each.</param>
/// <param name="Contaminate">What to mix into each clip before explaining it.</param>
/// <param name="Speech">A speech file or folder for <see cref="ContaminationKind.Speech"/>; null to take the set's clips labelled speech.</param>
/// <param name="Seed">Seed of the contamination draws.</param>
/// <param name="Json">Where to write the JSON report; null for none.</param>
/// <param name="Markdown">Where to write the Markdown table; null for none.</param>
/// <param name="Device">Execution device.</param>
/// <param name="Threads">CPU threads per graph run; 0 for ONNX Runtime's choice.</param>
/// <param name="OrtCache">Folder of ONNX Runtime's optimised graphs; null to optimise on every open.</param>
/// <param name="Plots">Folder for the pictures (metrics bar chart, confusion matrices); null for none.</param>
/// <param name="Metrics">The written formulas, or the SpeechBrain recipe's way of computing them (<c>--metrics</c>).</param>
/// <param name="Shard">Evaluate only this shard of the input list; null for all.</param>
internal sealed record EvalSettings(
    string Input,
    string? Labels,
    string? Model,
    IReadOnlyList<InterpreterKind>? Interpreters,
    ContaminationKind Contaminate = ContaminationKind.None,
    string? Speech = null,
    int Seed = 0,
    string? Json = null,
    string? Markdown = null,
    ExecutionDevice Device = ExecutionDevice.Auto,
    int Threads = 0,
    string? OrtCache = null,
    string? Plots = null,
    MetricConvention Metrics = MetricConvention.Paper,
    Shard? Shard = null);

using LmacTd.Runtime.Metrics;

namespace LmacTd.Cli.Commands;

/// <summary>What <c>lmactd eval</c> found for one clip and one interpreter: its metrics, or why it failed.</summary>
/// <param name="Index">The clip's index in the full input list (over all shards).</param>
/// <param name="Path">The audio file.</param>
/// <param name="Label">Its true label, if known.</param>
/// <param name="Predicted">The classifier's label on the (contaminated) input; null when the clip failed.</param>
/// <param name="QArgmaxLabel">The classifier's label on the explanation; null when the clip failed.</param>
/// <param name="Metrics">The clip's metrics; null when the clip failed.</param>
/// <param name="Error">Why the clip failed; null when it did not.</param>
internal sealed record EvalClipResult(
    int Index,
    string Path,
    string? Label,
    string? Predicted,
    string? QArgmaxLabel,
    FaithfulnessMetrics? Metrics,
    string? Error);

namespace LmacTd.Cli.Commands;

/// <summary>One clip of an evaluation set: its path and, when known, its label.</summary>
/// <param name="Path">The audio file.</param>
/// <param name="Label">Its true label, or null when unknown.</param>
internal sealed record EvalItem(string Path, string? Label);

using System.Text.Json;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// What an interpreter kind is handed to read its manifest entry: the entry, its path for error messages, the
/// reader's checked accessors, and the facts of the package it must agree with.
/// </summary>
/// <param name="Reader">The manifest reader (its accessors fail with the manifest's path and the field's).</param>
/// <param name="Element">The entry, <c>interpreters.KEY</c>.</param>
/// <param name="Path">"interpreters.KEY".</param>
/// <param name="ClipSamples">Samples of one clip at the model's rate.</param>
/// <param name="Representations">The classifier's representation outputs with their shapes, in the contract's order.</param>
internal sealed record InterpreterEntry(ManifestReader Reader, JsonElement Element, string Path, int ClipSamples,
    (string Name, long[]? Shape)[] Representations)
{
    /// <summary>The key of the entry.</summary>
    public string Key => Path["interpreters.".Length..];
}

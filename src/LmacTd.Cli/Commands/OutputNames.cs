namespace LmacTd.Cli.Commands;

/// <summary>The three files <c>lmactd explain</c> writes for one input.</summary>
/// <param name="Input">The input as given.</param>
/// <param name="Stem">The outputs' common path without the suffixes (<c>DIR/NAME</c>).</param>
internal sealed record OutputNames(string Input, string Stem)
{
    /// <summary><c>NAME.explanation.wav</c>.</summary>
    public string Explanation => Stem + ".explanation.wav";

    /// <summary><c>NAME.masked-out.wav</c>.</summary>
    public string MaskedOut => Stem + ".masked-out.wav";

    /// <summary><c>NAME.json</c>.</summary>
    public string Json => Stem + ".json";

    /// <summary>The outputs in the order they are published; the JSON last, so its presence means the group is whole.</summary>
    public IReadOnlyList<string> All => [Explanation, MaskedOut, Json];

    /// <summary>
    /// The outputs of every input: in <paramref name="outDir"/>, or next to each input when it is null. Two inputs
    /// whose outputs would have one name (<c>a/x.wav</c> and <c>b/x.wav</c> with one <c>--out</c>, or <c>x.wav</c>
    /// and <c>x.mp3</c> in one folder) are refused before any work: a run never overwrites its own outputs.
    /// Names are compared ignoring case, so a run behaves alike on case-insensitive file systems.
    /// </summary>
    /// <exception cref="ArgumentException">Two inputs collide; the message names both and the output.</exception>
    public static IReadOnlyList<OutputNames> Plan(IReadOnlyList<string> inputs, string? outDir)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var plans = inputs.Select(f => new OutputNames(f, Path.Combine(
            outDir ?? Path.GetDirectoryName(Path.GetFullPath(f)) ?? ".", Path.GetFileNameWithoutExtension(f)))).ToList();
        var clash = plans.GroupBy(p => Path.GetFullPath(p.Stem), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            var names = clash.Select(p => p.Input).ToList();
            throw new ArgumentException(
                $"{string.Join(" and ", names)} would both write {Path.GetFileName(clash.First().Stem)}.{{explanation.wav,masked-out.wav,json}} " +
                $"in {Path.GetDirectoryName(Path.GetFullPath(clash.First().Stem))}: nothing was done; rename one, or run them with separate --out folders");
        }

        return plans;
    }
}

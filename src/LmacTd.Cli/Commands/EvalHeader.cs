namespace LmacTd.Cli.Commands;

/// <summary>
/// What identifies an evaluation, written at the top of its JSON: the parts of a sharded run must agree on all of it
/// but <see cref="ModelPath"/> (a cluster's nodes may mount the package in different places) and <see cref="Shard"/>.
/// </summary>
/// <param name="Model">The package's name.</param>
/// <param name="ModelPath">The package folder as this run found it.</param>
/// <param name="ModelSha256">sha256 of the package's <c>manifest.json</c>, which holds every file's sha256.</param>
/// <param name="Input">The INPUT argument as given.</param>
/// <param name="InputDigest">sha256 of the full input list (see <see cref="EvalInputs.Digest"/>).</param>
/// <param name="InputCount">The number of clips in the full input list, over all shards.</param>
/// <param name="Contaminate">The contamination, as the command line writes it.</param>
/// <param name="Seed">The contamination's seed.</param>
/// <param name="Shard">The shard this run did; null for a whole run (and for a merged one).</param>
internal sealed record EvalHeader(
    string Model,
    string ModelPath,
    string ModelSha256,
    string Input,
    string InputDigest,
    int InputCount,
    string Contaminate,
    int Seed,
    Shard? Shard)
{
    /// <summary>The metric convention (<c>paper</c> or <c>speechbrain</c>); parts must agree on it.</summary>
    public string Metrics { get; init; } = "paper";
}

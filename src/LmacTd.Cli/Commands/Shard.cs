namespace LmacTd.Cli.Commands;

/// <summary>One of <see cref="Count"/> disjoint parts of an input list: <c>--shard INDEX/COUNT</c>, INDEX from 0.</summary>
/// <param name="Index">This part, 0 to <see cref="Count"/> - 1.</param>
/// <param name="Count">The number of parts.</param>
internal sealed record Shard(int Index, int Count)
{
    /// <summary>
    /// The items of this shard: item <c>i</c> of the full list goes to shard <c>i mod Count</c>. Striding rather than
    /// cutting the list in blocks keeps the shards within one clip of each other in size, and spreads a folder's
    /// long or short files over all of them.
    /// </summary>
    public bool Takes(int itemIndex) => itemIndex % Count == Index;

    /// <summary>The shard as the command line writes it.</summary>
    public override string ToString() => $"{Index}/{Count}";
}

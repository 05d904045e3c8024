namespace LmacTd.Runtime.Packages;

/// <summary>The L-MAC interpreter entry: its graph, its STFT and the shape of its mask.</summary>
internal sealed record LmacStftSpec(string Key, GraphSpec Graph, StftSettings Stft, int MaskFrames, int MaskBins)
    : InterpreterSpec(Key, Graph)
{
    /// <summary>The graph (always present for this kind).</summary>
    public new GraphSpec Graph => base.Graph!;
}

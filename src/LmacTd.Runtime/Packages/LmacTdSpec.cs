namespace LmacTd.Runtime.Packages;

/// <summary>The LMAC-TD interpreter entry: its graph, mixing weight and the shape of its mask over the encoder.</summary>
internal sealed record LmacTdSpec(string Key, GraphSpec Graph, double Alpha, int EncoderChannels, int EncoderFrames)
    : InterpreterSpec(Key, Graph)
{
    /// <summary>The graph (always present for this kind).</summary>
    public new GraphSpec Graph => base.Graph!;
}

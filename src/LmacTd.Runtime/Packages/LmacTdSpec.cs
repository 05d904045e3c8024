namespace LmacTd.Runtime.Packages;

/// <summary>The LMAC-TD interpreter of a package (time-domain mask over a learnt encoder).</summary>
/// <param name="Graph">The interpreter graph.</param>
/// <param name="Alpha">The convex mix weight the model was trained with.</param>
/// <param name="EncoderChannels">Channels of the encoder (and of the mask).</param>
/// <param name="EncoderFrames">Frames of the encoder (and of the mask).</param>
public sealed record LmacTdSpec(GraphSpec Graph, double Alpha, int EncoderChannels, int EncoderFrames);

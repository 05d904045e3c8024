namespace LmacTd.Runtime.Packages;

/// <summary>The L-MAC interpreter of a package (mask over the magnitude STFT).</summary>
/// <param name="Graph">The mask graph.</param>
/// <param name="Stft">The STFT the mask applies to.</param>
/// <param name="MaskFrames">Frames the mask covers (the first ones of the STFT; later frames are masked out).</param>
/// <param name="MaskBins">Frequency bins of the mask (<c>nFft/2 + 1</c>).</param>
public sealed record LmacStftSpec(GraphSpec Graph, StftSettings Stft, int MaskFrames, int MaskBins);

namespace LmacTd.Runtime.Audio;

/// <summary>What a format decoder hands back: interleaved samples in [-1, 1) before downmixing.</summary>
/// <param name="Samples">Interleaved samples; only the first <paramref name="Count"/> are valid.</param>
/// <param name="Count">Valid samples in <paramref name="Samples"/> (a multiple of <paramref name="Channels"/>).</param>
/// <param name="Channels">Channels per frame.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="DeclaredFrames">Frames the header promised, or null where the format declares none.</param>
internal readonly record struct DecodedAudio(float[] Samples, int Count, int Channels, int SampleRate, long? DeclaredFrames)
{
    /// <summary>The valid interleaved samples.</summary>
    public ReadOnlySpan<float> Span => Samples.AsSpan(0, Count);

    /// <summary>Whole frames decoded.</summary>
    public int Frames => Count / Channels;
}

namespace LmacTd.Runtime.Audio;

/// <summary>Sample formats <see cref="WavWriter"/> writes.</summary>
internal enum WavSampleFormat
{
    /// <summary>32-bit IEEE float (WAVE_FORMAT_IEEE_FLOAT), lossless for the runtime's outputs.</summary>
    Float32,

    /// <summary>16-bit PCM, clipped to [-1, 1) and rounded.</summary>
    Pcm16,
}

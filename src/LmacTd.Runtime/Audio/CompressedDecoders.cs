using NLayer;
using NVorbis;

namespace LmacTd.Runtime.Audio;

/// <summary>MP3 (NLayer) and Ogg Vorbis (NVorbis): neither format declares a length in a way worth trusting.</summary>
internal static class CompressedDecoders
{
    private const int Chunk = 1 << 16;

    public static DecodedAudio DecodeMp3(Stream stream, string name)
    {
        using var mpeg = new MpegFile(new NonClosingStream(stream));
        AudioLimits.Check(name, mpeg.SampleRate, mpeg.Channels);
        var samples = new SampleBuffer(Chunk);
        while (samples.Append(mpeg.ReadSamples, Chunk) > 0)
        {
        }

        return samples.ToDecoded(mpeg.Channels, mpeg.SampleRate, null);
    }

    public static DecodedAudio DecodeVorbis(Stream stream, string name)
    {
        using var vorbis = new VorbisReader(stream, closeOnDispose: false);
        AudioLimits.Check(name, vorbis.SampleRate, vorbis.Channels);
        var samples = new SampleBuffer(Chunk);

        // NVorbis wants whole frames per call.
        int chunk = Chunk / vorbis.Channels * vorbis.Channels;
        while (samples.Append(vorbis.ReadSamples, chunk) > 0)
        {
        }

        return samples.ToDecoded(vorbis.Channels, vorbis.SampleRate, null);
    }
}

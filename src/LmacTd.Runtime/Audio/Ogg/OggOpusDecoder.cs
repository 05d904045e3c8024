using System.Buffers.Binary;
using Concentus;

namespace LmacTd.Runtime.Audio.Ogg;

/// <summary>
/// Ogg Opus (RFC 7845) through Concentus, always at Opus's 48 kHz. Applies the header's pre-skip and
/// output gain and trims the end to the last page's granule position.
/// </summary>
internal static class OggOpusDecoder
{
    private const int Rate = 48_000;
    private const int MaxFrame = 5760; // 120 ms at 48 kHz, the longest Opus packet

    public static DecodedAudio Decode(Stream stream, string name)
    {
        var ogg = new OggPacketReader(stream);
        var head = ogg.ReadPacket();
        if (head is null || head.Length < 19 || !head.AsSpan(0, 8).SequenceEqual("OpusHead"u8))
            throw new AudioFormatException(name, "invalid Ogg Opus file: no OpusHead packet");
        if (head[8] >> 4 != 0) throw new AudioFormatException(name, $"unsupported Ogg Opus version {head[8]}");
        int channels = head[9];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        float gain = MathF.Pow(10, BinaryPrimitives.ReadInt16LittleEndian(head.AsSpan(16)) / (20f * 256f));
        int family = head[18];
        AudioLimits.Check(name, Rate, channels);

        var (decode, owner) = CreateDecoder(head, channels, family, name);
        using var dispose = owner;
        if (ogg.ReadPacket() is null) throw new AudioFormatException(name, "invalid Ogg Opus file: no OpusTags packet");

        var samples = new SampleBuffer(MaxFrame * channels);
        while (ogg.ReadPacket() is { } packet)
        {
            if (packet.Length == 0) continue;
            var dst = samples.GetSpan(MaxFrame * channels);
            int frames = decode(packet, dst);
            if (gain != 1f)
            {
                foreach (ref float x in dst[..(frames * channels)]) x *= gain;
            }

            samples.Advance(frames * channels);
        }

        // The last granule counts frames from the stream's start including the pre-skip.
        long total = ogg.LastGranule >= 0 ? ogg.LastGranule : long.MaxValue;
        int decodedFrames = samples.Count / channels;
        int keep = (int)Math.Clamp(Math.Min(total, decodedFrames), 0, decodedFrames);
        samples.Truncate(keep * channels);
        var all = samples.ToDecoded(channels, Rate, null);
        int skip = Math.Min(preSkip, all.Frames) * channels;
        var trimmed = all.Span[skip..].ToArray();
        return new DecodedAudio(trimmed, trimmed.Length, channels, Rate, null);
    }

    // The factory may hand out libopus where the platform has it, hence the disposable owner.
    private static (Func<byte[], Span<float>, int> Decode, IDisposable? Owner) CreateDecoder(byte[] head, int channels, int family, string name)
    {
        if (family == 0)
        {
            if (channels > 2) throw new AudioFormatException(name, $"invalid Ogg Opus header: mapping family 0 with {channels} channels");
            var single = OpusCodecFactory.CreateDecoder(Rate, channels, null);
            return ((p, dst) => single.Decode(p, dst, MaxFrame, false), single as IDisposable);
        }

        if (head.Length < 21 + channels) throw new AudioFormatException(name, "invalid Ogg Opus header: channel mapping table cut short");
        int streams = head[19], coupled = head[20];
        var mapping = head.AsSpan(21, channels).ToArray();
        var multi = OpusCodecFactory.CreateMultiStreamDecoder(Rate, channels, streams, coupled, mapping, null);
        return ((p, dst) => multi.DecodeMultistream(p, dst, MaxFrame, false), multi as IDisposable);
    }
}

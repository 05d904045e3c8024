using System.Buffers.Binary;
using NAudio.Wave;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// WAV and RF64 through NAudio's reader: PCM 8/16/24/32-bit and IEEE float 32/64-bit, plain or
/// WAVE_FORMAT_EXTENSIBLE. The header is checked here first (rate, channels, fmt size) so NAudio never
/// sees a header that would make it, or us, do unbounded work.
/// </summary>
internal static class WavDecoder
{
    private static readonly Guid SubtypePcm = new("00000001-0000-0010-8000-00aa00389b71");
    private static readonly Guid SubtypeFloat = new("00000003-0000-0010-8000-00aa00389b71");

    // The largest fmt chunk of any real encoding is a few dozen bytes; a bigger one is damage.
    private const int MaxFmtChunk = 4096;

    public static DecodedAudio Decode(Stream stream, string name)
    {
        long start = stream.Position;
        CheckHeader(stream, name);
        stream.Position = start;

        using var reader = new WaveFileReader(new NonClosingStream(stream));
        var fmt = reader.WaveFormat;
        int channels = fmt.Channels;
        int bits = fmt.BitsPerSample;
        AudioLimits.Check(name, fmt.SampleRate, channels);
        bool isFloat;
        switch (fmt.Encoding)
        {
            case WaveFormatEncoding.Pcm:
                isFloat = false;
                break;
            case WaveFormatEncoding.IeeeFloat:
                isFloat = true;
                break;
            case WaveFormatEncoding.Extensible when SubFormat(fmt) is { } sub && (sub == SubtypePcm || sub == SubtypeFloat):
                isFloat = sub == SubtypeFloat;
                break;
            default:
                throw new AudioFormatException(name, $"unsupported WAV encoding {fmt.Encoding} (PCM and IEEE float are supported)");
        }

        if (!PcmConversion.Supports(bits, isFloat))
            throw new AudioFormatException(name, $"unsupported WAV sample format: {bits}-bit {(isFloat ? "float" : "PCM")}");
        if (fmt.BlockAlign != bits / 8 * channels)
            throw new AudioFormatException(name, $"inconsistent WAV header: block align {fmt.BlockAlign} for {channels} x {bits}-bit");

        long declared = reader.Length;
        var samples = PcmConversion.ReadFrames(reader.Read, declared, fmt.BlockAlign, bits, isFloat);

        // Recorders that stream write 0 or 0xFFFFFFFF as the data size: that declares nothing.
        bool unknown = declared <= 0 || declared >= uint.MaxValue - fmt.BlockAlign;
        return samples.ToDecoded(channels, fmt.SampleRate, unknown ? null : declared / fmt.BlockAlign);
    }

    // NAudio keeps an extensible header's fields as raw extra bytes: wValidBitsPerSample (2),
    // dwChannelMask (4), then the sub-format GUID (16).
    private static Guid? SubFormat(WaveFormat fmt) => fmt switch
    {
        WaveFormatExtensible ext => ext.SubFormat,
        WaveFormatExtraData { ExtraData.Length: >= 22 } extra => new Guid(extra.ExtraData.AsSpan(6, 16)),
        _ => null,
    };

    /// <summary>Walks the chunks up to "fmt " and checks its size, channels and rate before NAudio reads it.</summary>
    private static void CheckHeader(Stream stream, string name)
    {
        Span<byte> h = stackalloc byte[16];
        if (stream.ReadAtLeast(h[..12], 12, throwOnEndOfStream: false) < 12)
            throw new AudioFormatException(name, "truncated WAV header");
        long length = stream.Length;
        while (stream.ReadAtLeast(h[..8], 8, throwOnEndOfStream: false) == 8)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(h[4..8]);
            if (h[..4].SequenceEqual("fmt "u8))
            {
                if (size is < 16 or > MaxFmtChunk) throw new AudioFormatException(name, $"invalid WAV header: fmt chunk of {size} bytes");
                if (stream.ReadAtLeast(h, 16, throwOnEndOfStream: false) < 16)
                    throw new AudioFormatException(name, "truncated WAV header (fmt chunk cut short)");
                AudioLimits.Check(name, BinaryPrimitives.ReadUInt32LittleEndian(h[4..8]), BinaryPrimitives.ReadUInt16LittleEndian(h[2..4]));
                return;
            }

            long next = stream.Position + size + (size & 1);
            if (next > length) return; // let NAudio say what is missing
            stream.Position = next;
        }
    }
}

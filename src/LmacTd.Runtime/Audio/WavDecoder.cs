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
        using var open = Open(stream, name);
        var samples = PcmConversion.ReadFrames(open.Reader.Read, open.Reader.Length, stream.Length - stream.Position, open.BlockAlign, open.Bits, open.IsFloat);
        return samples.ToDecoded(open.Channels, open.SampleRate, open.DeclaredFrames);
    }

    /// <summary>
    /// Checks the header and leaves NAudio's reader at the first sample, for <see cref="Decode"/> and for
    /// <see cref="AudioStreamReader"/>, which reads the data a block at a time.
    /// </summary>
    public static OpenWav Open(Stream stream, string name)
    {
        long start = stream.Position;
        long? declaredBytes = CheckHeader(stream, name);
        stream.Position = start;

        var reader = new WaveFileReader(new NonClosingStream(stream));
        try
        {
            return Describe(reader, name, declaredBytes);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static OpenWav Describe(WaveFileReader reader, string name, long? declaredBytes)
    {
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

        return new OpenWav(reader, channels, fmt.SampleRate, bits, isFloat, fmt.BlockAlign, declaredBytes / fmt.BlockAlign);
    }

    /// <summary>An open WAV file: NAudio's reader at the first sample and the format it holds.</summary>
    /// <param name="Reader">Reads the data chunk's bytes, whole blocks at a time; its Length is the data size clamped to the file.</param>
    /// <param name="Channels">Channels per frame.</param>
    /// <param name="SampleRate">Frames per second.</param>
    /// <param name="Bits">Bits per sample.</param>
    /// <param name="IsFloat">IEEE float rather than PCM.</param>
    /// <param name="BlockAlign">Bytes per frame.</param>
    /// <param name="DeclaredFrames">Frames the header declares, or null where it declares none.</param>
    public sealed record OpenWav(WaveFileReader Reader, int Channels, int SampleRate, int Bits, bool IsFloat, int BlockAlign, long? DeclaredFrames) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => Reader.Dispose();
    }

    // NAudio keeps an extensible header's fields as raw extra bytes: wValidBitsPerSample (2),
    // dwChannelMask (4), then the sub-format GUID (16).
    private static Guid? SubFormat(WaveFormat fmt) => fmt switch
    {
        WaveFormatExtensible ext => ext.SubFormat,
        WaveFormatExtraData { ExtraData.Length: >= 22 } extra => new Guid(extra.ExtraData.AsSpan(6, 16)),
        _ => null,
    };

    /// <summary>
    /// Walks the chunks: checks "fmt " (size, channels, rate) before NAudio reads it and returns the data
    /// size the header declares (NAudio clamps it to the file, which would hide a cut), or null where none is
    /// declared (no data chunk, or a streaming writer's 0 / 0xFFFFFFFF).
    /// </summary>
    private static long? CheckHeader(Stream stream, string name)
    {
        Span<byte> h = stackalloc byte[16];
        if (stream.ReadAtLeast(h[..12], 12, throwOnEndOfStream: false) < 12)
            throw new AudioFormatException(name, "truncated WAV header");
        long length = stream.Length;
        long? rf64DataSize = null;
        bool fmtSeen = false;
        while (stream.ReadAtLeast(h[..8], 8, throwOnEndOfStream: false) == 8)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(h[4..8]);
            long body = stream.Position;
            if (h[..4].SequenceEqual("fmt "u8))
            {
                if (size is < 16 or > MaxFmtChunk) throw new AudioFormatException(name, $"invalid WAV header: fmt chunk of {size} bytes");
                if (stream.ReadAtLeast(h, 16, throwOnEndOfStream: false) < 16)
                    throw new AudioFormatException(name, "truncated WAV header (fmt chunk cut short)");
                AudioLimits.Check(name, BinaryPrimitives.ReadUInt32LittleEndian(h[4..8]), BinaryPrimitives.ReadUInt16LittleEndian(h[2..4]));
                fmtSeen = true;
            }
            else if (h[..4].SequenceEqual("ds64"u8) && size >= 16 && stream.ReadAtLeast(h, 16, throwOnEndOfStream: false) == 16)
            {
                rf64DataSize = BinaryPrimitives.ReadInt64LittleEndian(h[8..16]);
            }
            else if (h[..4].SequenceEqual("data"u8))
            {
                if (!fmtSeen) return null; // NAudio will say what is missing
                long declared = size == uint.MaxValue && rf64DataSize is { } big ? big : size;
                return declared <= 0 || (declared >= uint.MaxValue && rf64DataSize is null) ? null : declared;
            }

            long next = body + size + (size & 1);
            if (next > length) return null;
            stream.Position = next;
        }

        return null;
    }
}

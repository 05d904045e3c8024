using System.Buffers.Binary;
using NAudio.Wave;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// AIFF and uncompressed AIFF-C through NAudio's reader, which hands out little-endian PCM. The COMM
/// chunk is read here first to check rate, channels and compression before NAudio is given the file.
/// </summary>
internal static class AiffDecoder
{
    public static DecodedAudio Decode(Stream stream, string name)
    {
        long start = stream.Position;
        var (declaredFrames, compression, ssnd) = CheckHeader(stream, name);
        if (compression is not ("NONE" or "twos"))
            throw new AudioFormatException(name, $"unsupported AIFF-C compression '{compression}' (uncompressed PCM is supported)");
        stream.Position = start;
        if (ssnd >= 0) stream = MendCutSoundChunk(stream, start, ssnd);

        using var reader = new AiffFileReader(new NonClosingStream(stream));
        var fmt = reader.WaveFormat;
        AudioLimits.Check(name, fmt.SampleRate, fmt.Channels);
        int bits = fmt.BitsPerSample;
        if (fmt.Encoding != WaveFormatEncoding.Pcm || !PcmConversion.Supports(bits, false))
            throw new AudioFormatException(name, $"unsupported AIFF sample format: {bits}-bit {fmt.Encoding}");
        if (fmt.BlockAlign != bits / 8 * fmt.Channels)
            throw new AudioFormatException(name, $"inconsistent AIFF header: block align {fmt.BlockAlign} for {fmt.Channels} x {bits}-bit");

        var samples = PcmConversion.ReadFrames(reader.Read, reader.Length, stream.Length - stream.Position, fmt.BlockAlign, bits, false);
        return samples.ToDecoded(fmt.Channels, fmt.SampleRate, declaredFrames);
    }

    /// <summary>
    /// NAudio refuses a file whose SSND chunk runs past the end; a cut file should decode what it holds.
    /// So such a file is copied (its bytes are all there is, so the copy is bounded by them) with the
    /// chunk's size set to what is present.
    /// </summary>
    private static Stream MendCutSoundChunk(Stream stream, long start, long ssnd)
    {
        var bytes = new byte[stream.Length - start];
        stream.ReadExactly(bytes);
        long chunkStart = ssnd - start;
        long present = bytes.Length - chunkStart - 8;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan((int)chunkStart + 4), (uint)present);
        return new MemoryStream(bytes, writable: false);
    }

    /// <summary>
    /// Finds COMM, checks it and returns the declared frames, the compression type ("NONE" for plain AIFF),
    /// and where the SSND chunk starts if it runs past the end of the file (-1 otherwise).
    /// </summary>
    private static (long Frames, string Compression, long CutSsnd) CheckHeader(Stream stream, string name)
    {
        (long, string)? comm = null;
        long cutSsnd = -1;
        Span<byte> h = stackalloc byte[26];
        if (stream.ReadAtLeast(h[..12], 12, throwOnEndOfStream: false) < 12)
            throw new AudioFormatException(name, "truncated AIFF header");
        bool aifc = h[8..12].SequenceEqual("AIFC"u8);
        long length = stream.Length;
        while (stream.ReadAtLeast(h[..8], 8, throwOnEndOfStream: false) == 8)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(h[4..8]);
            long body = stream.Position;
            if (h[..4].SequenceEqual("COMM"u8))
            {
                int need = aifc ? 22 : 18;
                if (size < need || stream.ReadAtLeast(h, need, throwOnEndOfStream: false) < need)
                    throw new AudioFormatException(name, $"invalid AIFF header: COMM chunk of {size} bytes");
                int channels = BinaryPrimitives.ReadInt16BigEndian(h[..2]);
                long frames = BinaryPrimitives.ReadUInt32BigEndian(h[2..6]);
                AudioLimits.Check(name, ExtendedToLong(h[8..18]), channels);
                string compression = aifc ? System.Text.Encoding.ASCII.GetString(h[18..22]) : "NONE";
                comm = (frames, compression);
            }

            long next = body + size + (size & 1);
            if (next > length)
            {
                if (h[..4].SequenceEqual("SSND"u8)) cutSsnd = body - 8;
                break;
            }

            stream.Position = next;
        }

        var (declared, type) = comm ?? throw new AudioFormatException(name, "invalid AIFF file: no COMM chunk");
        return (declared, type, cutSsnd);
    }

    /// <summary>The 80-bit IEEE extended number AIFF stores its rate in, rounded to a whole number (saturating).</summary>
    internal static long ExtendedToLong(ReadOnlySpan<byte> x)
    {
        int exponent = BinaryPrimitives.ReadUInt16BigEndian(x) & 0x7FFF;
        bool negative = (x[0] & 0x80) != 0;
        ulong mantissa = BinaryPrimitives.ReadUInt64BigEndian(x[2..]);
        if (mantissa == 0) return 0;
        double value = Math.ScaleB(mantissa, exponent - 16383 - 63);
        value = Math.Round(negative ? -value : value);
        return value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;
    }
}

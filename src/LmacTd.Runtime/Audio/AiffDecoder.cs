using System.Buffers.Binary;
using NAudio.Wave;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// AIFF and AIFF-C. Big-endian PCM ("NONE", "twos") goes through NAudio's reader; the AIFF-C types NAudio
/// does not read (little-endian "sowt", big-endian float "fl32"/"fl64") are read here from the SSND chunk,
/// which for uncompressed data is a byte swap away from what WAV holds. The COMM chunk is checked first.
/// </summary>
internal static class AiffDecoder
{
    public static DecodedAudio Decode(Stream stream, string name)
    {
        long start = stream.Position;
        var header = AiffHeader.Read(stream, name);
        stream.Position = start;
        return header.Compression switch
        {
            "NONE" or "twos" => DecodeWithNAudio(stream, name, header, start),
            "sowt" => ReadSound(stream, name, header, header.Bits, false, header.Bits <= 8 ? FlipSign : null),
            "fl32" or "FL32" => ReadSound(stream, name, header, 32, true, Swap4),
            "fl64" or "FL64" => ReadSound(stream, name, header, 64, true, Swap8),
            var other => throw new AudioFormatException(name, $"unsupported AIFF-C compression '{AudioSniffer.Printable(System.Text.Encoding.ASCII.GetBytes(other))}' (NONE, twos, sowt, fl32 and fl64 are read)"),
        };
    }

    private static DecodedAudio DecodeWithNAudio(Stream stream, string name, AiffHeader header, long start)
    {
        if (header.SoundStart >= 0 && header.SoundStart + 8 + header.SoundSize > stream.Length)
            stream = MendCutSoundChunk(stream, start, header.SoundStart);

        using var reader = new AiffFileReader(new NonClosingStream(stream));
        var fmt = reader.WaveFormat;
        AudioLimits.Check(name, fmt.SampleRate, fmt.Channels);
        int bits = fmt.BitsPerSample;
        if (fmt.Encoding != WaveFormatEncoding.Pcm || !PcmConversion.Supports(bits, false))
            throw new AudioFormatException(name, $"unsupported AIFF sample format: {bits}-bit {fmt.Encoding}");
        if (fmt.BlockAlign != bits / 8 * fmt.Channels)
            throw new AudioFormatException(name, $"inconsistent AIFF header: block align {fmt.BlockAlign} for {fmt.Channels} x {bits}-bit");

        var samples = PcmConversion.ReadFrames(reader.Read, reader.Length, stream.Length - stream.Position, fmt.BlockAlign, bits, false);
        return samples.ToDecoded(fmt.Channels, fmt.SampleRate, header.Frames);
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

    private static DecodedAudio ReadSound(Stream stream, string name, AiffHeader header, int bits, bool isFloat, Action<Span<byte>>? toLittleEndian)
    {
        bits = (bits + 7) / 8 * 8; // samples are stored in whole bytes
        if (!PcmConversion.Supports(bits, isFloat))
            throw new AudioFormatException(name, $"unsupported AIFF-C sample format: {bits}-bit {header.Compression}");
        if (header.SoundStart < 0) throw new AudioFormatException(name, "invalid AIFF file: no SSND chunk");
        Span<byte> offsets = stackalloc byte[8];
        stream.Position = header.SoundStart + 8;
        if (stream.ReadAtLeast(offsets, 8, throwOnEndOfStream: false) < 8) throw new AudioFormatException(name, "truncated AIFF file: SSND chunk cut short");
        stream.Position += BinaryPrimitives.ReadUInt32BigEndian(offsets);
        int blockAlign = bits / 8 * header.Channels;
        var samples = PcmConversion.ReadFrames(stream.Read, header.Frames * blockAlign, stream.Length - stream.Position, blockAlign, bits, isFloat, toLittleEndian);
        return samples.ToDecoded(header.Channels, (int)header.SampleRate, header.Frames);
    }

    // AIFF's 8-bit samples are signed; the shared conversion takes WAV's unsigned 8-bit.
    private static void FlipSign(Span<byte> data)
    {
        foreach (ref byte b in data) b ^= 0x80;
    }

    private static void Swap4(Span<byte> data)
    {
        for (int i = 0; i + 4 <= data.Length; i += 4) data.Slice(i, 4).Reverse();
    }

    private static void Swap8(Span<byte> data)
    {
        for (int i = 0; i + 8 <= data.Length; i += 8) data.Slice(i, 8).Reverse();
    }
}

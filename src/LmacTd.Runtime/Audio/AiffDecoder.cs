using System.Buffers.Binary;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// AIFF and AIFF-C, uncompressed: big-endian PCM ("NONE", "twos"), little-endian PCM ("sowt"), big-endian float
/// ("fl32", "fl64"), read from the SSND chunk, which for these is a byte swap away from what WAV holds; samples of
/// any width are stored in whole bytes, left-justified, so 12-bit samples read as 16-bit. The COMM chunk is checked
/// first. A file cut short decodes its whole frames.
/// </summary>
/// <remarks>
/// Not through NAudio's AIFF reader, which this once used for "NONE": it refuses "twos", and it cannot read a file cut
/// at an odd length (it looks for the pad byte that follows an odd-sized chunk and then reports no SSND chunk at all).
/// </remarks>
internal static class AiffDecoder
{
    public static DecodedAudio Decode(Stream stream, string name)
    {
        long start = stream.Position;
        var header = AiffHeader.Read(stream, name);
        stream.Position = start;
        return header.Compression switch
        {
            "NONE" or "twos" => ReadSound(stream, name, header, header.Bits, false, header.Bits <= 8 ? FlipSign : SwapEach((header.Bits + 7) / 8)),
            "sowt" => ReadSound(stream, name, header, header.Bits, false, header.Bits <= 8 ? FlipSign : null),
            "fl32" or "FL32" => ReadSound(stream, name, header, 32, true, SwapEach(4)),
            "fl64" or "FL64" => ReadSound(stream, name, header, 64, true, SwapEach(8)),
            var other => throw new AudioFormatException(name, $"unsupported AIFF-C compression '{AudioSniffer.Printable(System.Text.Encoding.ASCII.GetBytes(other))}' (NONE, twos, sowt, fl32 and fl64 are read)"),
        };
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

    // Reverses the bytes of each sample of `size` bytes: big-endian to little-endian.
    private static Action<Span<byte>> SwapEach(int size) => data =>
    {
        for (int i = 0; i + size <= data.Length; i += size) data.Slice(i, size).Reverse();
    };
}

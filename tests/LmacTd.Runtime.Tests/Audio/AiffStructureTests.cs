using System.Buffers.Binary;
using System.Text;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// AIFF and AIFF-C beyond the reference files: the other names of the compression types, 8-bit little-endian samples,
/// SSND offsets, odd-sized chunks, files cut anywhere, and headers the decoder must refuse, each saying why.
/// </summary>
public class AiffStructureTests
{
    [Theory]
    [InlineData("aifc16-6ch.aifc", "NONE", "twos")]
    [InlineData("aifc-float.aifc", "fl32", "FL32")]
    [InlineData("aifc-double.aifc", "fl64", "FL64")]
    public void Each_name_of_a_compression_type_decodes_alike(string file, string from, string to)
    {
        var bytes = Reference(file);
        int at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        Assert.True(at > 0);
        var renamed = (byte[])bytes.Clone();
        Encoding.ASCII.GetBytes(to).CopyTo(renamed, at);
        Assert.Equal(Decode(bytes), Decode(renamed));
    }

    [Fact]
    public void Eight_bit_little_endian_samples_are_signed()
    {
        // sowt 8-bit holds signed bytes, as plain AIFF does: the reference's own decode, rewritten into an AIFF-C.
        var c = ReferenceFiles.Case("aiff8-mono.aiff");
        var samples = ReferenceFiles.Raw("aiff8-mono.aiff", 8);
        var sowt = Aiff(1, samples.Length, 8, "sowt", [.. samples.Select(s => (byte)s)]);
        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(sowt), "x.aifc");
        Assert.Equal(samples.Length, decoded.Count);
        Assert.Equal(c.Channels, decoded.Channels);
        for (int i = 0; i < samples.Length; i++) Assert.Equal(samples[i], decoded.Span[i] * 128f);
        Assert.Contains(samples, s => s < 0);
    }

    [Fact]
    public void Twelve_bit_samples_are_read_left_justified_in_two_bytes()
    {
        // AIFF stores a 12-bit sample in the top bits of two big-endian bytes.
        short[] values = [2047 << 4, -2048 << 4, 5 << 4, -1 << 4];
        var data = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(2 * i), values[i]);
        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(Aiff(1, values.Length, 12, null, data)), "12.aiff");
        Assert.Equal(values.Select(v => v / 32768f), decoded.Span.ToArray());
    }

    [Fact]
    public void The_ssnd_offset_skips_to_the_first_sample()
    {
        short[] values = [1000, -2000, 3000, -4000];
        var data = new byte[4 + values.Length * 2];
        data[0] = 0x7F; // four bytes the offset skips
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(4 + 2 * i), values[i]);
        var aifc = Aiff(1, values.Length, 16, "sowt", data, ssndOffset: 4);
        Assert.Equal(values.Select(v => v / 32768f), AudioDecoder.DecodeInterleaved(new MemoryStream(aifc), "o.aifc").Span.ToArray());
    }

    [Theory]
    [InlineData("aiff16-stereo.aiff")]
    [InlineData("aifc16-6ch.aifc")]
    public void An_odd_sized_chunk_before_the_sound_is_stepped_over_with_its_pad_byte(string file)
    {
        var bytes = Reference(file);
        byte[] name = [.. "NAME"u8, 0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c', 0];
        byte[] padded = [.. bytes[..12], .. name, .. bytes[12..]];
        BinaryPrimitives.WriteUInt32BigEndian(padded.AsSpan(4), (uint)(padded.Length - 8));
        var clip = AudioDecoder.Decode(new MemoryStream(padded), "named");
        Assert.Equal(Decode(bytes), AudioDecoder.DecodeInterleaved(new MemoryStream(padded), "named").Span.ToArray());
        Assert.False(clip.Truncated);
    }

    [Theory]
    [InlineData("aiff16-stereo.aiff", 0, 3, 1)]   // stereo 16-bit frames are 4 bytes: 3 bytes off, one frame less
    [InlineData("aiff16-stereo.aiff", 7, 3, 1)]   // the same, the file 7 bytes into the stream
    [InlineData("aiff16-stereo.aiff", 0, 1, 1)]
    [InlineData("aiff16-stereo.aiff", 0, 2, 1)]
    [InlineData("aiff16-stereo.aiff", 0, 4, 1)]
    [InlineData("aiff8-mono.aiff", 0, 1, 1)]      // one-byte frames: an odd length is whole frames
    [InlineData("aiff8-mono.aiff", 3, 2, 2)]
    [InlineData("aiff24-mono.aiff", 0, 5, 2)]
    public void A_file_cut_anywhere_keeps_its_whole_frames_wherever_it_starts_in_the_stream(string file, int offset, int bytesOff, int framesOff)
    {
        var c = ReferenceFiles.Case(file);
        var bytes = Reference(file);
        var whole = Decode(bytes);
        var stream = new MemoryStream([.. new byte[offset], .. bytes[..^bytesOff]]) { Position = offset };
        var decoded = AudioDecoder.DecodeInterleaved(stream, "cut.aiff");
        Assert.Equal(whole[..^(framesOff * c.Channels)], decoded.Span.ToArray());
        Assert.Equal(whole.Length / c.Channels, decoded.DeclaredFrames);
    }

    [Theory]
    [InlineData("no comm", "invalid AIFF file: no COMM chunk")]
    [InlineData("short comm", "invalid AIFF header: COMM chunk of 18 bytes")]
    [InlineData("cut comm", "invalid AIFF header: COMM chunk of 24 bytes")]
    [InlineData("no ssnd", "invalid AIFF file: no SSND chunk")]
    [InlineData("cut ssnd", "truncated AIFF file: SSND chunk cut short")]
    [InlineData("40-bit sowt", "unsupported AIFF-C sample format: 40-bit sowt")]
    [InlineData("negative rate", "sample rate -44100 Hz is outside the supported")]
    public void Headers_the_decoder_cannot_use_are_refused_with_why(string what, string message)
    {
        byte[] bytes = what switch
        {
            "no comm" => [.. "FORM"u8, 0, 0, 0, 20, .. "AIFF"u8, .. "SSND"u8, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0],
            "short comm" => Aiff(1, 4, 16, "sowt", new byte[8], commSize: 18),
            "cut comm" => Aiff(1, 4, 16, "sowt", new byte[8])[..40],
            "no ssnd" => Aiff(1, 4, 16, "sowt", null),
            "cut ssnd" => Aiff(1, 4, 16, "sowt", [])[..^6],
            "40-bit sowt" => Aiff(1, 4, 40, "sowt", new byte[20]),
            _ => Aiff(2, 4, 16, "sowt", new byte[16], rate: [0xC0, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]),
        };
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "x.aif"));
        Assert.Equal("x.aif", e.File);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    private static byte[] Reference(string file) => File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, file));

    private static float[] Decode(byte[] bytes) => AudioDecoder.DecodeInterleaved(new MemoryStream(bytes), "x").Span.ToArray();

    /// <summary>
    /// FORM/AIFF (compression null) or FORM/AIFC with COMM (44.1 kHz unless given) and, unless <paramref name="sound"/> is
    /// null, SSND holding it after <paramref name="ssndOffset"/>.
    /// </summary>
    private static byte[] Aiff(int channels, int frames, int bits, string? compression, byte[]? sound, int ssndOffset = 0, int? commSize = null,
        byte[]? rate = null)
    {
        using var ms = new MemoryStream();
        void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
            ms.Write(b);
        }

        void U16(int v)
        {
            ms.WriteByte((byte)(v >> 8));
            ms.WriteByte((byte)v);
        }

        ms.Write("FORM"u8);
        U32(0);
        ms.Write(compression is null ? "AIFF"u8 : "AIFC"u8);
        int comm = commSize ?? (compression is null ? 18 : 24);
        ms.Write("COMM"u8);
        U32((uint)comm);
        U16(channels);
        U32((uint)frames);
        U16(bits);
        ms.Write(rate ?? [0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]); // 44100 as an 80-bit extended number
        if (compression is not null && comm >= 22)
        {
            ms.Write(Encoding.ASCII.GetBytes(compression));
            for (int i = 22; i < comm; i++) ms.WriteByte(0);
        }

        if (sound is not null)
        {
            ms.Write("SSND"u8);
            U32((uint)(8 + sound.Length));
            U32((uint)ssndOffset);
            U32(0);
            ms.Write(sound);
        }

        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }
}

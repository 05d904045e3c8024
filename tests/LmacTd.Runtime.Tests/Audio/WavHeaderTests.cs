using System.Buffers.Binary;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>WAV headers at the edges of what the decoder accepts, and what it says about those it refuses.</summary>
public class WavHeaderTests
{
    [Theory]
    [InlineData(16, true)]
    [InlineData(4096, true)]
    [InlineData(15, false)]
    [InlineData(4097, false)]
    public void Fmt_chunks_of_16_to_4096_bytes_are_read_and_others_refused(int size, bool accepted)
    {
        var wav = WithFmtSize(WavBuilder.Build(TestData.Sine(500, 8000, 300), 1, 8000, 16, false, false), size);
        if (accepted)
        {
            var clip = AudioDecoder.Decode(new MemoryStream(wav), "x.wav");
            Assert.Equal(500, clip.Samples.Length);
            Assert.Equal(500, clip.DeclaredFrames);
            return;
        }

        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(wav), "x.wav"));
        Assert.Contains($"invalid WAV header: fmt chunk of {size} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_inside_its_fmt_chunk_is_called_truncated()
    {
        var wav = WavBuilder.Build(TestData.Sine(500, 8000, 300), 1, 8000, 16, false, false);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(wav[..30]), "cut.wav"));
        Assert.Contains("truncated WAV header (fmt chunk cut short)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    public void A_streaming_writers_placeholder_size_declares_no_length(uint size)
    {
        // Writers that cannot seek back leave 0xFFFFFFFF: the samples are all read, and no length is claimed for them.
        var wav = WavBuilder.Build(TestData.Sine(700, 8000, 300), 1, 8000, 16, false, false);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), size);
        var clip = AudioDecoder.Decode(new MemoryStream(wav), "live.wav");
        Assert.Equal(700, clip.Samples.Length);
        Assert.Null(clip.DeclaredFrames);
        Assert.False(clip.Truncated);
    }

    [Fact]
    public void An_odd_sized_chunk_and_its_pad_byte_are_stepped_over()
    {
        // RIFF chunks are padded to an even size; the pad is not counted in the chunk's size.
        var wav = WavBuilder.Build(TestData.Sine(600, 8000, 300), 1, 8000, 16, false, false);
        byte[] list = [.. "LIST"u8, 3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0];
        byte[] padded = [.. wav[..12], .. list, .. wav[12..]];
        BinaryPrimitives.WriteUInt32LittleEndian(padded.AsSpan(4), (uint)(padded.Length - 8));
        var clip = AudioDecoder.Decode(new MemoryStream(padded), "list.wav");
        Assert.Equal(AudioDecoder.Decode(new MemoryStream(wav), "plain.wav").Samples, clip.Samples);
        Assert.Equal(600, clip.DeclaredFrames);
    }

    [Theory]
    [InlineData(12, false, 2, "unsupported WAV sample format: 12-bit PCM")]
    [InlineData(16, true, 2, "unsupported WAV sample format: 16-bit float")]
    [InlineData(16, false, 3, "inconsistent WAV header: block align 3 for 1 x 16-bit")]
    public void Sample_formats_the_decoder_cannot_read_are_named(int bits, bool isFloat, int blockAlign, string message)
    {
        var wav = WavBuilder.Build(TestData.Sine(100, 8000, 300), 1, 8000, 16, false, false);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(20), (ushort)(isFloat ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(32), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(34), (ushort)bits);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(wav), "odd.wav"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_of_no_channels_is_refused()
    {
        var wav = WavBuilder.Build(TestData.Sine(100, 8000, 300), 1, 8000, 16, false, false);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(22), 0);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(wav), "none.wav"));
        Assert.Contains("invalid header: 0 channels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writers_header_states_the_byte_rate_and_block_align_of_the_spec()
    {
        // Byte rate = rate x channels x bytes per sample, block align = channels x bytes per sample (read by players for seeking).
        foreach (var (format, bytes) in new[] { (WavSampleFormat.Float32, 4), (WavSampleFormat.Pcm16, 2) })
        {
            var wav = WavWriter.Encode(new float[10], 22050, format);
            Assert.Equal(22050 * bytes, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(28)));
            Assert.Equal(bytes, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(32)));
            Assert.Equal(8 * bytes, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
            Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => WavWriter.Write("never.wav", new float[1], 0));
    }

    // The builder's 16-byte fmt chunk grown (zero bytes after cbSize = size - 18) or shrunk to the size asked.
    private static byte[] WithFmtSize(byte[] wav, int size)
    {
        if (size == 16) return wav;
        var fmt = new byte[size];
        wav.AsSpan(20, Math.Min(16, size)).CopyTo(fmt);
        if (size >= 18) BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), (ushort)(size - 18));
        var body = wav.AsSpan(36).ToArray();
        byte[] result = [.. wav[..16], 0, 0, 0, 0, .. fmt, .. (size % 2 == 1 ? new byte[1] : []), .. body];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(16), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}

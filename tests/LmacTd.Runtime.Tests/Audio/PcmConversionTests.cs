using System.Buffers.Binary;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// Sample bytes to floats by the WAV format's definitions (8-bit unsigned with 128 as zero, 16/24/32-bit two's
/// complement little-endian, IEEE float), and the frame reader over sources that hand out bytes in any pieces.
/// </summary>
public class PcmConversionTests
{
    [Theory]
    [InlineData(8, false, new byte[] { 0x00, 0x80, 0xFF, 0x40 }, new[] { -1.0, 0.0, 127.0 / 128, -0.5 })]
    [InlineData(16, false, new byte[] { 0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x40 }, new[] { -1.0, 32767.0 / 32768, 0.0, -1.0 / 32768, 0.5 })]
    [InlineData(24, false, new byte[] { 0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF }, new[] { -1.0, 8388607.0 / 8388608, 1.0 / 8388608, -1.0 / 8388608 })]
    [InlineData(32, false, new byte[] { 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x40, 0xFF, 0xFF, 0xFF, 0xFF }, new[] { -1.0, 0.5, -1.0 / 2147483648 })]
    public void Integer_pcm_scales_full_scale_to_one(int bits, bool isFloat, byte[] bytes, double[] expected)
    {
        var got = new float[expected.Length];
        PcmConversion.Convert(bytes, got, bits, isFloat);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 1e-9);
    }

    [Fact]
    public void Float_samples_are_taken_as_they_are()
    {
        float[] f32 = [0.25f, -1.5f, float.Epsilon, 3f];
        var bytes = new byte[16];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), f32[i]);
        var got = new float[4];
        PcmConversion.Convert(bytes, got, 32, true);
        Assert.Equal(f32, got);

        double[] f64 = [0.125, -2.0, 1e-3];
        bytes = new byte[24];
        for (int i = 0; i < 3; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), f64[i]);
        got = new float[3];
        PcmConversion.Convert(bytes, got, 64, true);
        Assert.Equal(f64.Select(v => (float)v), got);
    }

    [Theory]
    [InlineData(8, false, true)]
    [InlineData(16, false, true)]
    [InlineData(24, false, true)]
    [InlineData(32, false, true)]
    [InlineData(32, true, true)]
    [InlineData(64, true, true)]
    [InlineData(12, false, false)]
    [InlineData(64, false, false)]
    [InlineData(16, true, false)]
    [InlineData(8, true, false)]
    [InlineData(24, true, false)]
    public void Only_the_formats_convert_knows_are_supported(int bits, bool isFloat, bool supported) =>
        Assert.Equal(supported, PcmConversion.Supports(bits, isFloat));

    [Theory]
    [InlineData(1, 2, 16)]
    [InlineData(3, 2, 16)]
    [InlineData(7, 6, 24)]
    [InlineData(5, 1, 8)]
    [InlineData(100_000, 2, 32)]
    public void Frames_read_in_pieces_of_any_size_equal_one_conversion_of_the_whole(int piece, int channels, int bits)
    {
        int frames = 20_011, blockAlign = channels * bits / 8;
        var bytes = new byte[frames * blockAlign];
        new Random(piece + bits).NextBytes(bytes);
        var expected = new float[frames * channels];
        PcmConversion.Convert(bytes, expected, bits, false);

        int at = 0;
        int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, piece), bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(buffer.AsSpan(offset));
            at += n;
            return n;
        }

        var got = PcmConversion.ReadFrames(Read, bytes.Length, bytes.Length, blockAlign, bits, false);
        Assert.Equal(expected.Length, got.Count);
        var decoded = got.ToDecoded(channels, 8000, null);
        Assert.Equal(expected, decoded.Span.ToArray());
    }

    [Fact]
    public void Reading_stops_at_the_declared_size_and_drops_a_partial_frame_at_the_end()
    {
        var bytes = new byte[1000];
        new Random(1).NextBytes(bytes);
        int at = 0;
        int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(buffer.AsSpan(offset));
            at += n;
            return n;
        }

        // 601 declared bytes of 4-byte stereo frames: 150 whole frames, the last byte a partial one.
        var got = PcmConversion.ReadFrames(Read, 601, 1000, 4, 16, false);
        Assert.Equal(300, got.Count);
        Assert.True(at <= 604, $"read {at} bytes for 601 declared");
        var expected = new float[300];
        PcmConversion.Convert(bytes, expected, 16, false);
        Assert.Equal(expected, got.ToDecoded(2, 8000, null).Span.ToArray());
    }

    [Fact]
    public void A_source_that_runs_dry_before_the_declared_size_gives_what_it_had()
    {
        var bytes = new byte[300];
        new Random(2).NextBytes(bytes);
        int at = 0;
        int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 77), bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(buffer.AsSpan(offset));
            at += n;
            return n;
        }

        var got = PcmConversion.ReadFrames(Read, 1L << 40, 300, 3, 24, false);
        Assert.Equal(100, got.Count);
        var expected = new float[100];
        PcmConversion.Convert(bytes, expected, 24, false);
        Assert.Equal(expected, got.ToDecoded(1, 8000, null).Span.ToArray());
    }

    [Fact]
    public void Byte_order_is_rewritten_frame_by_frame_before_conversion()
    {
        // Big-endian 16-bit stereo, swapped to little-endian by the callback, in pieces of 3 bytes.
        short[] values = [1000, -2000, 32767, -32768, 0, 1];
        var big = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16BigEndian(big.AsSpan(2 * i), values[i]);
        int at = 0;
        int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 3), big.Length - at);
            big.AsSpan(at, n).CopyTo(buffer.AsSpan(offset));
            at += n;
            return n;
        }

        var swapped = new List<int>();
        var got = PcmConversion.ReadFrames(Read, big.Length, big.Length, 4, 16, false, span =>
        {
            Assert.Equal(0, span.Length % 4);
            swapped.Add(span.Length);
            for (int i = 0; i + 1 < span.Length; i += 2) (span[i], span[i + 1]) = (span[i + 1], span[i]);
        });
        Assert.Equal(values.Select(v => v / 32768f), got.ToDecoded(2, 8000, null).Span.ToArray());
        Assert.Equal(big.Length, swapped.Sum());
    }
}

/// <summary>Decoding from a stream that hands out a few bytes a read, as a buffered or network-backed stream may.</summary>
public class ShortReadTests
{
    [Theory]
    [InlineData("wav", 3)]
    [InlineData("wav", 5)]
    [InlineData("wav-24", 7)]
    [InlineData("aiff16-stereo.aiff", 4)]
    [InlineData("aifc-float.aifc", 3)]
    [InlineData("flac16-stereo-lpc.flac", 3)]
    public void A_stream_of_short_reads_decodes_like_a_whole_one(string source, int readSize)
    {
        byte[] bytes = source switch
        {
            "wav" => WavBuilder.Build(TestData.Noise(2 * 1001, 3, 0.8), 2, 16000, 16, false, false),
            "wav-24" => WavBuilder.Build(TestData.Noise(3 * 999, 4, 0.8), 3, 16000, 24, false, true),
            _ => File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, source)),
        };
        var whole = AudioDecoder.DecodeInterleaved(new MemoryStream(bytes), source);
        var trickled = AudioDecoder.DecodeInterleaved(new ShortReadStream(bytes, readSize), source);
        Assert.Equal(whole.Count, trickled.Count);
        Assert.Equal(whole.Span.ToArray(), trickled.Span.ToArray());
    }

    /// <summary>A seekable stream over bytes whose reads return at most <c>max</c> bytes.</summary>
    private sealed class ShortReadStream(byte[] bytes, int max) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, max));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, max)]);
    }
}

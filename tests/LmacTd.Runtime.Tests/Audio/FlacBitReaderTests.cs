using LmacTd.Runtime.Audio.Flac;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>The FLAC bit reader against a bit-by-bit reading of the same bytes (most significant bit first).</summary>
public class FlacBitReaderTests
{
    [Fact]
    public void Fields_of_any_width_read_as_the_bits_say()
    {
        var rng = new Random(5);
        var data = new byte[4096];
        rng.NextBytes(data);
        var reader = new FlacBitReader(data, data.Length);
        long at = 0;
        while (at < 8L * data.Length - 200)
        {
            int kind = rng.Next(5), n = rng.Next(1, 33);
            switch (kind)
            {
                case 0:
                    Assert.Equal((uint)Field(data, at, n), reader.ReadBits(n));
                    break;
                case 1:
                    long u = (long)Field(data, at, n);
                    Assert.Equal(u >= 1L << (n - 1) ? u - (1L << n) : u, reader.ReadSigned(n));
                    break;
                case 2:
                    n = rng.Next(0, 65);
                    Assert.Equal(Field(data, at, n), reader.ReadLong(n));
                    break;
                case 3:
                    n = rng.Next(0, 100);
                    reader.Skip(n);
                    break;
                default:
                    int zeros = 0;
                    while (Bit(data, at + zeros) == 0) zeros++;
                    Assert.Equal(zeros, reader.ReadUnary());
                    n = zeros + 1;
                    break;
            }

            at += n;
            Assert.Equal(at, reader.BitPosition);
            Assert.False(reader.PastEnd);
        }
    }

    [Fact]
    public void A_long_run_of_zero_bytes_is_counted_by_the_unary_reader()
    {
        var data = new byte[40];
        data[37] = 0x20; // 37 zero bytes and two zero bits, then a one
        var reader = new FlacBitReader(data, data.Length);
        reader.ReadBits(3);
        Assert.Equal(37 * 8 + 2 - 3, reader.ReadUnary());
        Assert.Equal(37 * 8 + 3, reader.BitPosition);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(3, 1, -2)]    // 011 -> zigzag 3 -> -2 with k = 1: quotient 1, remainder 1
    [InlineData(8, 2, 4)]     // unary 2 (001), k = 2 bits 00: u = 8 -> 4
    [InlineData(9, 2, -5)]    // the same with the low bit set: odd u is -(u + 1) / 2
    [InlineData(15, 3, -8)]   // unary 1 (01), k = 3 bits 111: u = 15 -> -8
    public void Rice_codes_fold_the_sign_into_the_lowest_bit(int u, int k, int expected)
    {
        // q = u >> k zeros, a one, then the low k bits of u.
        var w = new FlacStreamWriter();
        w.Bits(0, u >> k).Bits(1, 1).Bits(u & ((1 << k) - 1), k);
        w.Align();
        var bytes = w.ToArray();
        var reader = new FlacBitReader(bytes, bytes.Length);
        Assert.Equal(expected, reader.ReadRice(k));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(0x7FL)]
    [InlineData(0x80L)]
    [InlineData(0x7FFL)]
    [InlineData(0x800L)]
    [InlineData(0xFFFFL)]
    [InlineData(0x10000L)]
    [InlineData(0x1FFFFFL)]
    [InlineData(0x200000L)]
    [InlineData(0x3FFFFFFL)]
    [InlineData(0x4000000L)]
    [InlineData(0x7FFFFFFFL)]
    [InlineData(0x80000000L)]
    [InlineData(0xFFFFFFFFFL)]
    public void Coded_numbers_of_every_length_read_back(long value)
    {
        byte[] bytes = [.. FlacStreamWriter.Utf8(value), 0xAA];
        var reader = new FlacBitReader(bytes, bytes.Length);
        Assert.Equal((ulong)value, reader.ReadUtf8Number());
        Assert.Equal(bytes.Length - 1, reader.BytePosition);
        Assert.Equal(0xAAu, reader.ReadBits(8));
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]                    // a continuation byte first
    [InlineData(new byte[] { 0xFF, 0x80, 0x80 })]        // eight leading ones
    [InlineData(new byte[] { 0xC2, 0x41 })]              // a second byte that is not a continuation
    [InlineData(new byte[] { 0xE0, 0x80, 0xC0 })]        // the third likewise
    public void Badly_coded_numbers_are_refused(byte[] bytes)
    {
        byte[] padded = [.. bytes, 0, 0, 0, 0, 0, 0, 0, 0];
        var reader = new FlacBitReader(padded, padded.Length);
        Assert.Throws<InvalidDataException>(() => reader.ReadUtf8Number());
    }

    [Fact]
    public void Past_the_end_it_reads_zeros_for_a_while_then_throws()
    {
        byte[] data = [0xFF, 0xFF];
        var reader = new FlacBitReader(data, data.Length);
        Assert.Equal(0xFFFFu, reader.ReadBits(16));
        Assert.False(reader.PastEnd);
        Assert.Equal(0u, reader.ReadBits(8));
        Assert.True(reader.PastEnd);
        Assert.Throws<EndOfStreamException>(() =>
        {
            for (int i = 0; i < 100; i++) reader.ReadBits(32);
        });
    }

    [Fact]
    public void Seek_and_align_move_to_byte_boundaries()
    {
        byte[] data = [0x12, 0x34, 0x56, 0x78, 0x9A];
        var reader = new FlacBitReader(data, data.Length);
        Assert.Equal(5, reader.Length);
        reader.ReadBits(3);
        reader.AlignToByte();
        Assert.Equal(1, reader.BytePosition);
        Assert.Equal(0x34u, reader.ReadBits(8));
        reader.AlignToByte(); // already aligned: stays
        Assert.Equal(2, reader.BytePosition);
        reader.Seek(4);
        Assert.Equal(32, reader.BitPosition);
        Assert.Equal(0x9Au, reader.ReadBits(8));
        reader.Seek(0);
        Assert.Equal(0x1234u, reader.ReadBits(16));
    }

    private static int Bit(byte[] data, long at) => (data[at >> 3] >> (7 - (int)(at & 7))) & 1;

    private static ulong Field(byte[] data, long at, int n)
    {
        ulong v = 0;
        for (int i = 0; i < n; i++) v = (v << 1) | (uint)Bit(data, at + i);
        return v;
    }
}

using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// Paths the reference encoder does not take (escape-coded partitions, including zero-width ones, 5-bit
/// Rice parameters above 15, wasted bits with a second-order predictor, 8-bit coded block sizes),
/// checked on a stream written here bit by bit from chosen samples, with its own CRCs computed bitwise.
/// </summary>
public class FlacHandMadeStreamTests
{
    private const int Block = 16;

    [Fact]
    public void Escaped_partitions_wide_rice_parameters_and_wasted_bits_decode_to_the_chosen_samples()
    {
        var rng = new Random(11);
        var first = Enumerable.Range(0, Block).Select(_ => rng.Next(-1000, 1001)).ToArray();
        var second = Enumerable.Range(0, Block).Select(_ => rng.Next(-1000, 1001)).ToArray();

        // Frame 2's first partition is escaped with zero bits: its residuals must be zero, so its
        // samples are what the second-order predictor says.
        for (int i = 2; i < 4; i++) second[i] = 2 * second[i - 1] - second[i - 2];

        var w = new BitWriter();
        w.Bytes("fLaC"u8);
        w.Bits(1, 1).Bits(0, 7).Bits(34, 24);                     // last block, STREAMINFO, 34 bytes
        w.Bits(Block, 16).Bits(Block, 16).Bits(0, 24).Bits(0, 24); // block sizes, frame sizes unknown
        w.Bits(8000, 20).Bits(0, 3).Bits(15, 5).Bits(0, 4).Bits(2 * Block, 32); // rate, 1 channel, 16 bits, 32 frames
        for (int i = 0; i < 16; i++) w.Bits(0, 8);                // MD5 unknown

        Frame(w, 0, sub =>
        {
            sub.Bits(0, 1).Bits(0b001001, 6).Bits(0, 1);          // FIXED order 1, no wasted bits
            sub.Signed(first[0], 16);
            sub.Bits(0, 2).Bits(1, 4);                            // 4-bit parameters, 2 partitions
            sub.Bits(15, 4).Bits(12, 5);                          // escaped, 12 raw bits
            for (int i = 1; i < 8; i++) sub.Signed(first[i] - first[i - 1], 12);
            sub.Bits(2, 4);
            for (int i = 8; i < Block; i++) sub.Rice(first[i] - first[i - 1], 2);
        });
        Frame(w, 1, sub =>
        {
            sub.Bits(0, 1).Bits(0b001010, 6).Bits(1, 1).Bits(1, 2); // FIXED order 2, wasted bits: unary 1 -> 2
            sub.Signed(second[0], 14).Signed(second[1], 14);
            sub.Bits(1, 2).Bits(2, 4);                            // 5-bit parameters, 4 partitions of 4
            sub.Bits(31, 5).Bits(0, 5);                           // escaped with zero bits: residuals 0
            sub.Bits(17, 5);
            for (int i = 4; i < 8; i++) sub.Rice(Residual(second, i), 17);
            sub.Bits(31, 5).Bits(14, 5);
            for (int i = 8; i < 12; i++) sub.Signed(Residual(second, i), 14);
            sub.Bits(0, 5);
            for (int i = 12; i < Block; i++) sub.Rice(Residual(second, i), 0);
        });

        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(w.ToArray()), "hand.flac");
        Assert.Equal(8000, decoded.SampleRate);
        Assert.Equal(2 * Block, decoded.Count);
        Assert.Equal(2 * Block, decoded.DeclaredFrames);
        var expected = first.Concat(second.Select(s => s << 2)).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], decoded.Span[i] * 32768f);
    }

    private static int Residual(int[] s, int i) => s[i] - (2 * s[i - 1] - s[i - 2]);

    /// <summary>Writes one mono 16-bit frame of <see cref="Block"/> samples: header, CRC-8, the subframe, padding, CRC-16.</summary>
    private static void Frame(BitWriter w, int number, Action<BitWriter> subframe)
    {
        int start = w.Length;
        w.Bits(0xFFF8, 16);                    // sync, reserved, fixed block size
        w.Bits(6, 4).Bits(0, 4);               // block size in 8 bits after the header; rate from STREAMINFO
        w.Bits(0, 4).Bits(4, 3).Bits(0, 1);    // mono, 16 bits, reserved
        w.Bits(number, 8);                     // frame number (one-byte coding)
        w.Bits(Block - 1, 8);
        w.Bits(Crc(w.Slice(start), 8, 0x07), 8);
        subframe(w);
        w.Align();
        w.Bits(Crc(w.Slice(start), 16, 0x8005), 16);
    }

    /// <summary>A bitwise CRC (no table), MSB first, starting at zero.</summary>
    private static int Crc(byte[] data, int width, int poly)
    {
        int crc = 0, top = 1 << (width - 1), mask = (1 << width) - 1;
        foreach (var b in data)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                bool feedback = ((crc & top) != 0) ^ (((b >> bit) & 1) != 0);
                crc = ((crc << 1) & mask) ^ (feedback ? poly : 0);
            }
        }

        return crc;
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _acc;
        private int _n;

        public int Length => _bytes.Count;

        public BitWriter Bits(long value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                _acc = (_acc << 1) | (int)((value >> i) & 1);
                if (++_n == 8)
                {
                    _bytes.Add((byte)_acc);
                    _acc = 0;
                    _n = 0;
                }
            }

            return this;
        }

        public BitWriter Signed(int value, int count)
        {
            Assert.InRange(value, -(1L << (count - 1)), (1L << (count - 1)) - 1);
            return Bits(value & ((1L << count) - 1), count);
        }

        public BitWriter Rice(int value, int k)
        {
            long u = value >= 0 ? 2L * value : -2L * value - 1;
            for (long q = u >> k; q > 0; q--) Bits(0, 1);
            return Bits(1, 1).Bits(u & ((1L << k) - 1), k);
        }

        public BitWriter Bytes(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes) Bits(b, 8);
            return this;
        }

        public void Align()
        {
            while (_n != 0) Bits(0, 1);
        }

        public byte[] Slice(int start)
        {
            Assert.Equal(0, _n);
            return _bytes.Skip(start).ToArray();
        }

        public byte[] ToArray()
        {
            Assert.Equal(0, _n);
            return [.. _bytes];
        }
    }
}

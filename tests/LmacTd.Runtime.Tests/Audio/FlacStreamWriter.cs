namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// Writes FLAC streams bit by bit from the format's specification, with their own bitwise CRCs, for the paths and the
/// damage the reference encoder never produces. Independent of the runtime's decoder.
/// </summary>
internal sealed class FlacStreamWriter
{
    private readonly List<byte> _bytes = [];
    private int _acc;
    private int _n;

    public int Length => _bytes.Count;

    /// <summary>"fLaC" and a STREAMINFO block (the last metadata block unless <paramref name="last"/> is false).</summary>
    public FlacStreamWriter StreamInfo(int blockSize, int rate, int channels, int bits, long totalFrames, bool last = true, int size = 34)
    {
        Bytes("fLaC"u8);
        Bits(last ? 1 : 0, 1).Bits(0, 7).Bits(size, 24);
        Bits(blockSize, 16).Bits(blockSize, 16).Bits(0, 24).Bits(0, 24); // block sizes, frame sizes unknown
        Bits(rate, 20).Bits(channels - 1, 3).Bits(bits - 1, 5).Bits(totalFrames, 36);
        for (int i = 0; i < 16; i++) Bits(0, 8); // MD5 unknown
        for (int i = 34; i < size; i++) Bits(0, 8);
        return this;
    }

    /// <summary>A metadata block of another type (padding is 1) with <paramref name="size"/> zero bytes.</summary>
    public FlacStreamWriter MetadataBlock(int type, int size, bool last)
    {
        Bits(last ? 1 : 0, 1).Bits(type, 7).Bits(size, 24);
        for (int i = 0; i < size; i++) Bits(0, 8);
        return this;
    }

    /// <summary>
    /// One frame: sync, the given codes, the frame or sample number in FLAC's UTF-8-like coding (or
    /// <paramref name="rawNumber"/> as is), the extra block-size and rate fields the codes call for, CRC-8, the
    /// subframes, padding to a byte and CRC-16.
    /// </summary>
    public FlacStreamWriter Frame(int blockCode, int rateCode, int assignment, int sizeCode, long number, Action<FlacStreamWriter> subframes,
        int blockSize = 0, int rateField = 0, bool variable = false, byte[]? rawNumber = null, int reserved = 0)
    {
        int start = Length;
        Bits(0x3FFE, 14).Bits(0, 1).Bits(variable ? 1 : 0, 1);
        Bits(blockCode, 4).Bits(rateCode, 4).Bits(assignment, 4).Bits(sizeCode, 3).Bits(reserved, 1);
        if (rawNumber is not null) Bytes(rawNumber);
        else Bytes(Utf8(number));
        if (blockCode == 6) Bits(blockSize - 1, 8);
        if (blockCode == 7) Bits(blockSize - 1, 16);
        if (rateCode == 12) Bits(rateField, 8);
        if (rateCode is 13 or 14) Bits(rateField, 16);
        Bits(Crc(Slice(start), 8, 0x07), 8);
        subframes(this);
        Align();
        Bits(Crc(Slice(start), 16, 0x8005), 16);
        return this;
    }

    /// <summary>A CONSTANT subframe.</summary>
    public FlacStreamWriter Constant(int value, int bits) => Bits(0, 1).Bits(0, 6).Bits(0, 1).Signed(value, bits);

    /// <summary>A VERBATIM subframe.</summary>
    public FlacStreamWriter Verbatim(IEnumerable<int> values, int bits)
    {
        Bits(0, 1).Bits(1, 6).Bits(0, 1);
        foreach (var v in values) Signed(v, bits);
        return this;
    }

    /// <summary>FLAC's coding of frame and sample numbers: UTF-8's scheme extended to 36 bits (1 to 7 bytes).</summary>
    public static byte[] Utf8(long v)
    {
        if (v < 0x80) return [(byte)v];
        int extra = v < 1L << 11 ? 1 : v < 1L << 16 ? 2 : v < 1L << 21 ? 3 : v < 1L << 26 ? 4 : v < 1L << 31 ? 5 : 6;
        var bytes = new byte[extra + 1];
        for (int i = extra; i > 0; i--)
        {
            bytes[i] = (byte)(0x80 | (v & 0x3F));
            v >>= 6;
        }

        bytes[0] = (byte)((0xFF00 >> (extra + 1)) | (int)v);
        return bytes;
    }

    public FlacStreamWriter Bits(long value, int count)
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

    public FlacStreamWriter Signed(int value, int count)
    {
        Assert.InRange(value, -(1L << (count - 1)), (1L << (count - 1)) - 1);
        return Bits(value & ((1L << count) - 1), count);
    }

    public FlacStreamWriter Rice(int value, int k)
    {
        long u = value >= 0 ? 2L * value : -2L * value - 1;
        for (long q = u >> k; q > 0; q--) Bits(0, 1);
        return Bits(1, 1).Bits(u & ((1L << k) - 1), k);
    }

    public FlacStreamWriter Bytes(ReadOnlySpan<byte> bytes)
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

    /// <summary>A bitwise CRC (no table), MSB first, starting at zero.</summary>
    public static int Crc(byte[] data, int width, int poly)
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
}

namespace LmacTd.Runtime.Audio.Flac;

/// <summary>
/// Reads FLAC's big-endian bit fields from a byte array. Past the end it reads zeros for a little way
/// (so a frame cut off by the end of the file fails its checks instead of reading garbage) and then throws
/// <see cref="EndOfStreamException"/>, which bounds every loop, unary codes included.
/// Part of the hand-written FLAC decoder: no maintained managed FLAC decoder is served on NuGet here.
/// </summary>
internal sealed class FlacBitReader(byte[] data, int length)
{
    private const int Slack = 16;
    private ulong _cache;    // next bits, most significant first
    private int _cacheBits;  // valid bits in _cache
    private int _next;       // next byte of data to load into the cache

    /// <summary>Bytes in the data.</summary>
    public int Length => length;

    /// <summary>Bits consumed from the start.</summary>
    public long BitPosition => 8L * _next - _cacheBits;

    /// <summary>Whether the reads so far went past the end of the data.</summary>
    public bool PastEnd => BitPosition > 8L * length;

    /// <summary>Current byte position (call on a byte boundary).</summary>
    public int BytePosition => (int)(BitPosition >> 3);

    /// <summary>Moves to <paramref name="bytePosition"/>, dropping the cache.</summary>
    public void Seek(int bytePosition)
    {
        _next = bytePosition;
        _cache = 0;
        _cacheBits = 0;
    }

    /// <summary>Skips to the next byte boundary.</summary>
    public void AlignToByte() => Skip(_cacheBits & 7);

    /// <summary>Reads <paramref name="n"/> (0-32) bits as an unsigned number.</summary>
    public uint ReadBits(int n)
    {
        if (n == 0) return 0;
        if (_cacheBits < n) Refill();
        uint v = (uint)(_cache >> (64 - n));
        _cache <<= n;
        _cacheBits -= n;
        return v;
    }

    /// <summary>Reads <paramref name="n"/> (1-32) bits as a two's complement signed number.</summary>
    public int ReadSigned(int n)
    {
        if (n == 0) return 0;
        uint v = ReadBits(n);
        int shift = 32 - n;
        return (int)(v << shift) >> shift;
    }

    /// <summary>Reads <paramref name="n"/> bits as an unsigned number of up to 64 bits.</summary>
    public ulong ReadLong(int n) => n <= 32 ? ReadBits(n) : ((ulong)ReadBits(n - 32) << 32) | ReadBits(32);

    /// <summary>Skips <paramref name="n"/> bits.</summary>
    public void Skip(int n)
    {
        while (n > 32)
        {
            ReadBits(32);
            n -= 32;
        }

        ReadBits(n);
    }

    /// <summary>Counts zero bits up to the next one bit and consumes them all.</summary>
    public int ReadUnary()
    {
        int count = 0;
        while (true)
        {
            if (_cacheBits == 0) Refill();
            if (_cache == 0)
            {
                count += _cacheBits;
                _cacheBits = 0;
                continue;
            }

            int zeros = System.Numerics.BitOperations.LeadingZeroCount(_cache);
            count += zeros;
            _cache <<= zeros + 1;
            _cacheBits -= zeros + 1;
            return count;
        }
    }

    /// <summary>A Rice-coded signed residual with parameter <paramref name="k"/>.</summary>
    public int ReadRice(int k)
    {
        uint q = (uint)ReadUnary();
        uint u = (q << k) | ReadBits(k);
        return (int)(u >> 1) ^ -(int)(u & 1);
    }

    /// <summary>Reads FLAC's UTF-8-like coded number (frame or sample number, up to 36 bits).</summary>
    public ulong ReadUtf8Number()
    {
        uint first = ReadBits(8);
        if ((first & 0x80) == 0) return first;
        int extra = System.Numerics.BitOperations.LeadingZeroCount(~(first << 24) & 0xFF000000u) - 1;
        if (extra is < 1 or > 6) throw new InvalidDataException("bad coded frame number");
        ulong v = first & (0x3Fu >> extra);
        for (int i = 0; i < extra; i++)
        {
            uint b = ReadBits(8);
            if ((b & 0xC0) != 0x80) throw new InvalidDataException("bad coded frame number");
            v = (v << 6) | (b & 0x3F);
        }

        return v;
    }

    private void Refill()
    {
        while (_cacheBits <= 56)
        {
            if (_next >= length + Slack) throw new EndOfStreamException("the FLAC data ends inside a frame");
            ulong b = _next < length ? data[_next] : 0UL;
            _next++;
            _cache |= b << (56 - _cacheBits);
            _cacheBits += 8;
        }
    }
}

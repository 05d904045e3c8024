using System.Buffers.Binary;
using System.Text;

namespace LmacTd.Runtime.Audio;

/// <summary>What an AIFF/AIFF-C file's COMM chunk declares and where its SSND chunk is.</summary>
/// <param name="Channels">Channels per frame.</param>
/// <param name="Bits">Sample size in bits as COMM states it.</param>
/// <param name="SampleRate">Frames per second, rounded.</param>
/// <param name="Frames">Frames COMM declares.</param>
/// <param name="Compression">AIFF-C compression type ("NONE" for plain AIFF).</param>
/// <param name="SoundStart">Offset of the SSND chunk's header, or -1 where there is none.</param>
/// <param name="SoundSize">Size the SSND chunk declares.</param>
internal readonly record struct AiffHeader(int Channels, int Bits, long SampleRate, long Frames, string Compression, long SoundStart, long SoundSize)
{
    /// <summary>Walks the chunks from the stream's position, checking COMM's rate and channels as soon as it is read.</summary>
    public static AiffHeader Read(Stream stream, string name)
    {
        Span<byte> h = stackalloc byte[26];
        if (stream.ReadAtLeast(h[..12], 12, throwOnEndOfStream: false) < 12)
            throw new AudioFormatException(name, "truncated AIFF header");
        bool aifc = h[8..12].SequenceEqual("AIFC"u8);
        long length = stream.Length;
        AiffHeader? comm = null;
        long soundStart = -1, soundSize = 0;
        while (stream.ReadAtLeast(h[..8], 8, throwOnEndOfStream: false) == 8)
        {
            bool isSound = h[..4].SequenceEqual("SSND"u8);
            uint size = BinaryPrimitives.ReadUInt32BigEndian(h[4..8]);
            long body = stream.Position;
            if (isSound)
            {
                soundStart = body - 8;
                soundSize = size;
            }
            else if (h[..4].SequenceEqual("COMM"u8))
            {
                int need = aifc ? 22 : 18;
                if (size < need || stream.ReadAtLeast(h, need, throwOnEndOfStream: false) < need)
                    throw new AudioFormatException(name, $"invalid AIFF header: COMM chunk of {size} bytes");
                int channels = BinaryPrimitives.ReadInt16BigEndian(h[..2]);
                long rate = ExtendedToLong(h[8..18]);
                AudioLimits.Check(name, rate, channels);
                comm = new AiffHeader(channels, BinaryPrimitives.ReadInt16BigEndian(h[6..8]), rate, BinaryPrimitives.ReadUInt32BigEndian(h[2..6]),
                    aifc ? Encoding.ASCII.GetString(h[18..22]) : "NONE", -1, 0);
            }

            long next = body + size + (size & 1);
            if (next > length) break;
            stream.Position = next;
        }

        var header = comm ?? throw new AudioFormatException(name, "invalid AIFF file: no COMM chunk");
        return header with { SoundStart = soundStart, SoundSize = soundSize };
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

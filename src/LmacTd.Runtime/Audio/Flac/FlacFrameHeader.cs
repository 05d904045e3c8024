namespace LmacTd.Runtime.Audio.Flac;

/// <summary>One frame's header. Part of the hand-written FLAC decoder.</summary>
/// <param name="BlockSize">Samples per channel in the frame.</param>
/// <param name="SampleRate">Frames per second (STREAMINFO's where the header defers to it).</param>
/// <param name="ChannelAssignment">0-7: independent channels; 8 left/side; 9 side/right; 10 mid/side.</param>
/// <param name="BitsPerSample">Bits per sample (STREAMINFO's where the header defers to it).</param>
internal readonly record struct FlacFrameHeader(int BlockSize, int SampleRate, int ChannelAssignment, int BitsPerSample)
{
    private static readonly int[] Rates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
    private static readonly int[] SampleSizes = [0, 8, 12, 0, 16, 20, 24, 32];

    /// <summary>Channels the frame codes.</summary>
    public int Channels => ChannelAssignment < 8 ? ChannelAssignment + 1 : 2;

    /// <summary>
    /// Reads a header at the reader's (byte-aligned) position, or returns null when the bytes there are
    /// not a valid header (no sync code, reserved values, or a CRC-8 mismatch): the caller then searches on.
    /// </summary>
    public static FlacFrameHeader? TryRead(FlacBitReader bits, byte[] data, FlacStreamInfo info)
    {
        int start = bits.BytePosition;
        if (bits.ReadBits(15) != 0x7FFC) return null; // 14-bit sync 0x3FFE and a reserved zero
        bits.ReadBits(1); // fixed or variable block size: the frame number is not needed to decode
        int blockCode = (int)bits.ReadBits(4);
        int rateCode = (int)bits.ReadBits(4);
        int assignment = (int)bits.ReadBits(4);
        int sizeCode = (int)bits.ReadBits(3);
        if (bits.ReadBits(1) != 0 || blockCode == 0 || rateCode == 15 || assignment > 10 || sizeCode == 3) return null;
        try
        {
            bits.ReadUtf8Number();
        }
        catch (InvalidDataException)
        {
            return null;
        }

        int blockSize = blockCode switch
        {
            1 => 192,
            <= 5 => 576 << (blockCode - 2),
            6 => (int)bits.ReadBits(8) + 1,
            7 => (int)bits.ReadBits(16) + 1,
            _ => 256 << (blockCode - 8),
        };
        int rate = rateCode switch
        {
            0 => info.SampleRate,
            12 => (int)bits.ReadBits(8) * 1000,
            13 => (int)bits.ReadBits(16),
            14 => (int)bits.ReadBits(16) * 10,
            _ => Rates[rateCode],
        };
        int bps = sizeCode == 0 ? info.BitsPerSample : SampleSizes[sizeCode];
        int end = bits.BytePosition;
        if (end >= bits.Length) return null;
        if (bits.ReadBits(8) != FlacCrc.Crc8(data.AsSpan(start, end - start))) return null;
        return new FlacFrameHeader(blockSize, rate, assignment, bps);
    }
}

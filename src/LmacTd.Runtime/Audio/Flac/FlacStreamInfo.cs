namespace LmacTd.Runtime.Audio.Flac;

/// <summary>The STREAMINFO block: what the whole stream declares. Part of the hand-written FLAC decoder.</summary>
/// <param name="MaxBlockSize">Largest block in samples per channel.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Channels, 1-8.</param>
/// <param name="BitsPerSample">Bits per sample, 4-32.</param>
/// <param name="TotalFrames">Frames (samples per channel) in the stream, 0 when unknown.</param>
internal readonly record struct FlacStreamInfo(int MaxBlockSize, int SampleRate, int Channels, int BitsPerSample, long TotalFrames)
{
    /// <summary>Reads the metadata blocks from the "fLaC" marker on and leaves <paramref name="bits"/> at the first frame.</summary>
    public static FlacStreamInfo ReadMetadata(FlacBitReader bits, string name)
    {
        if (bits.ReadBits(32) != 0x664C6143) throw new AudioFormatException(name, "invalid FLAC file: no fLaC marker");
        FlacStreamInfo? info = null;
        bool last = false;
        while (!last)
        {
            last = bits.ReadBits(1) == 1;
            uint type = bits.ReadBits(7);
            int size = (int)bits.ReadBits(24);
            int start = bits.BytePosition;
            if ((long)start + size > bits.Length) throw new AudioFormatException(name, "truncated FLAC file: a metadata block runs past the end");
            if (type == 0)
            {
                if (size < 34) throw new AudioFormatException(name, $"invalid FLAC STREAMINFO of {size} bytes");
                bits.Skip(16); // minimum block size
                int maxBlock = (int)bits.ReadBits(16);
                bits.Skip(48); // minimum and maximum frame size
                int rate = (int)bits.ReadBits(20);
                int channels = (int)bits.ReadBits(3) + 1;
                int bps = (int)bits.ReadBits(5) + 1;
                long total = (long)bits.ReadLong(36);
                AudioLimits.Check(name, rate, channels);
                if (bps < 4) throw new AudioFormatException(name, $"invalid FLAC STREAMINFO: {bps} bits per sample");
                info = new FlacStreamInfo(maxBlock, rate, channels, bps, total);
            }
            else if (info is null)
            {
                throw new AudioFormatException(name, "invalid FLAC file: the first metadata block is not STREAMINFO");
            }

            bits.Seek(start + size);
        }

        return info ?? throw new AudioFormatException(name, "invalid FLAC file: no STREAMINFO");
    }
}

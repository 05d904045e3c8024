namespace LmacTd.Runtime.Audio.Flac;

/// <summary>
/// Native FLAC to interleaved floats, bit-exact: STREAMINFO, then frames of CONSTANT, VERBATIM, FIXED
/// and LPC subframes with the three stereo decorrelation modes, 4-24 bits per sample, 1-8 channels;
/// CRC-8 and CRC-16 are checked. A file cut short keeps its whole frames and reports STREAMINFO's total.
/// Hand-written because NuGet serves no maintained managed FLAC decoder here (the format is small and
/// fully specified; the tests compare against the reference encoder's own decode).
/// </summary>
internal static class FlacDecoder
{
    private const int MaxBitsPerSample = 24; // side channels then need 25 bits, which fit an int

    public static DecodedAudio Decode(Stream stream, string name)
    {
        long size = stream.Length - stream.Position;
        if (size > Array.MaxLength) throw new AudioFormatException(name, "FLAC file too large to decode in one piece");
        var data = new byte[size];
        int length = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        var bits = new FlacBitReader(data, length);
        FlacStreamInfo info;
        try
        {
            info = FlacStreamInfo.ReadMetadata(bits, name);
        }
        catch (EndOfStreamException)
        {
            throw new AudioFormatException(name, "truncated FLAC file: it ends inside its metadata");
        }

        if (info.BitsPerSample > MaxBitsPerSample)
            throw new AudioFormatException(name, $"{info.BitsPerSample}-bit FLAC is not supported (up to {MaxBitsPerSample} bits)");

        var output = new SampleBuffer((int)Math.Min(info.TotalFrames * info.Channels, Math.Min(length, 1 << 16)));
        var channels = new int[info.Channels][];
        int pos = bits.BytePosition;
        while (pos < length - 1)
        {
            bits.Seek(pos);
            FlacFrameHeader? found;
            try
            {
                found = FlacFrameHeader.TryRead(bits, data, info);
            }
            catch (EndOfStreamException)
            {
                break;
            }

            if (found is not { } header)
            {
                // Not a frame here (junk or a trailing tag): look for the next sync code.
                pos = FindSync(data, pos + 1, length);
                if (pos < 0) break;
                continue;
            }

            Check(header, info, name, pos);
            if (!TryDecodeFrame(bits, header, channels)) break; // cut off by the end of the file
            bits.AlignToByte();
            int crcAt = bits.BytePosition;
            uint crc = bits.ReadBits(16);
            if (bits.PastEnd) break;
            if (crc != FlacCrc.Crc16(data.AsSpan(pos, crcAt - pos)))
                throw new AudioFormatException(name, $"corrupt FLAC: the frame at byte {pos} fails its CRC-16");
            Interleave(header, channels, output);
            pos = bits.BytePosition;
        }

        return output.ToDecoded(info.Channels, info.SampleRate, info.TotalFrames > 0 ? info.TotalFrames : null);
    }

    private static void Check(FlacFrameHeader header, FlacStreamInfo info, string name, int pos)
    {
        if (header.Channels != info.Channels)
            throw new AudioFormatException(name, $"corrupt FLAC: the frame at byte {pos} has {header.Channels} channels, STREAMINFO {info.Channels}");
        if (header.SampleRate != info.SampleRate)
            throw new AudioFormatException(name, $"corrupt FLAC: the frame at byte {pos} is at {header.SampleRate} Hz, STREAMINFO at {info.SampleRate} Hz");
        if (header.BitsPerSample is < 4 or > MaxBitsPerSample)
            throw new AudioFormatException(name, $"the frame at byte {pos} has {header.BitsPerSample} bits per sample (4-{MaxBitsPerSample} are supported)");
    }

    private static bool TryDecodeFrame(FlacBitReader bits, FlacFrameHeader header, int[][] channels)
    {
        try
        {
            for (int c = 0; c < channels.Length; c++)
            {
                if (channels[c] is null || channels[c].Length < header.BlockSize) channels[c] = new int[header.BlockSize];
                bool side = (header.ChannelAssignment == 8 && c == 1) || (header.ChannelAssignment == 9 && c == 0)
                            || (header.ChannelAssignment == 10 && c == 1);
                FlacSubframe.Decode(bits, channels[c].AsSpan(0, header.BlockSize), header.BitsPerSample + (side ? 1 : 0));
            }
        }
        catch (EndOfStreamException)
        {
            return false;
        }

        return !bits.PastEnd;
    }

    private static void Interleave(FlacFrameHeader header, int[][] channels, SampleBuffer output)
    {
        int n = header.BlockSize, count = channels.Length;
        var dst = output.GetSpan(n * count);
        float scale = 1f / (1 << (header.BitsPerSample - 1));
        if (header.ChannelAssignment >= 8)
        {
            var a = channels[0];
            var b = channels[1];
            for (int i = 0; i < n; i++)
            {
                int left, right;
                switch (header.ChannelAssignment)
                {
                    case 8: // left, side
                        left = a[i];
                        right = a[i] - b[i];
                        break;
                    case 9: // side, right
                        left = a[i] + b[i];
                        right = b[i];
                        break;
                    default: // mid, side: the side's lowest bit restores the mid's
                        int mid = (a[i] << 1) | (b[i] & 1);
                        left = (mid + b[i]) >> 1;
                        right = (mid - b[i]) >> 1;
                        break;
                }

                dst[2 * i] = left * scale;
                dst[2 * i + 1] = right * scale;
            }
        }
        else
        {
            for (int c = 0; c < count; c++)
            {
                var src = channels[c];
                for (int i = 0; i < n; i++) dst[i * count + c] = src[i] * scale;
            }
        }

        output.Advance(n * count);
    }

    private static int FindSync(byte[] data, int from, int length)
    {
        for (int i = from; i < length - 1; i++)
        {
            if (data[i] == 0xFF && (data[i + 1] & 0xFE) == 0xF8) return i;
        }

        return -1;
    }
}

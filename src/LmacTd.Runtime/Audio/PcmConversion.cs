using System.Buffers.Binary;

namespace LmacTd.Runtime.Audio;

/// <summary>Little-endian PCM and IEEE float bytes to floats in [-1, 1), as WAV and NAudio's AIFF reader hand them out.</summary>
internal static class PcmConversion
{
    /// <summary>Whether <paramref name="bits"/> of PCM (or float when <paramref name="isFloat"/>) can be converted.</summary>
    public static bool Supports(int bits, bool isFloat) => isFloat ? bits is 32 or 64 : bits is 8 or 16 or 24 or 32;

    /// <summary>Converts <c>dst.Length</c> samples of <paramref name="bits"/> each from <paramref name="src"/>.</summary>
    public static void Convert(ReadOnlySpan<byte> src, Span<float> dst, int bits, bool isFloat)
    {
        switch (bits, isFloat)
        {
            case (8, false):
                for (int i = 0; i < dst.Length; i++) dst[i] = (src[i] - 128) / 128f;
                break;
            case (16, false):
                for (int i = 0; i < dst.Length; i++) dst[i] = (short)(src[2 * i] | (src[2 * i + 1] << 8)) / 32768f;
                break;
            case (24, false):
                for (int i = 0; i < dst.Length; i++)
                {
                    // Place the three bytes at the top of an int so the sign extends for free.
                    int v = (src[3 * i] << 8) | (src[3 * i + 1] << 16) | (src[3 * i + 2] << 24);
                    dst[i] = v / 2147483648f;
                }

                break;
            case (32, false):
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]) / 2147483648f;
                break;
            case (32, true):
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                break;
            default:
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                break;
        }
    }

    /// <summary>
    /// Reads whole frames of <paramref name="blockAlign"/> bytes from <paramref name="read"/> until it runs dry or
    /// <paramref name="declaredBytes"/> are read, converting as it goes. The buffers grow with what was read,
    /// so a header declaring gigabytes costs nothing unless the bytes are really there.
    /// </summary>
    /// <param name="read">Reads (buffer, offset, count) and returns the bytes read, 0 at the end.</param>
    /// <param name="declaredBytes">Data bytes the header declares.</param>
    /// <param name="presentBytes">Bytes the stream still holds (sizes the first buffers, never the header).</param>
    /// <param name="blockAlign">Bytes per frame.</param>
    /// <param name="bits">Bits per sample.</param>
    /// <param name="isFloat">IEEE float rather than PCM.</param>
    /// <param name="toLittleEndian">Rewrites whole frames in place into the layout <see cref="Convert"/> takes, if they differ.</param>
    public static SampleBuffer ReadFrames(Func<byte[], int, int, int> read, long declaredBytes, long presentBytes, int blockAlign, int bits, bool isFloat,
                                          Action<Span<byte>>? toLittleEndian = null)
    {
        int bytesPerSample = bits / 8;
        long expected = Math.Clamp(Math.Min(declaredBytes, presentBytes), 0, 1 << 16);
        var output = new SampleBuffer((int)(expected / bytesPerSample));
        // Room for a whole block after a partial one, whatever the sizes.
        var chunk = new byte[Math.Max(2 * blockAlign, (int)expected / blockAlign * blockAlign)];
        long remaining = declaredBytes;
        int held = 0; // bytes of a partial frame carried over from the previous read
        while (remaining > 0)
        {
            // Whole blocks are asked for (NAudio's readers take nothing else), at least one even when less remains: a
            // source that handed out part of a frame (a short read) may still owe its rest, and NAudio clamps a request
            // to its data. Asking only for what remains, rounded down to blocks, lost that last frame.
            int want = (int)Math.Min(chunk.Length - held, Math.Max(remaining, blockAlign)) / blockAlign * blockAlign;
            int n = read(chunk, held, want);
            if (n <= 0) break;
            n = (int)Math.Min(n, remaining); // bytes past the declared data are not samples
            remaining -= n;
            held += n;
            int whole = held / blockAlign * blockAlign;
            int samples = whole / bytesPerSample;
            toLittleEndian?.Invoke(chunk.AsSpan(0, whole));
            Convert(chunk.AsSpan(0, whole), output.GetSpan(samples), bits, isFloat);
            output.Advance(samples);
            chunk.AsSpan(whole, held - whole).CopyTo(chunk);
            held -= whole;
        }

        return output;
    }
}

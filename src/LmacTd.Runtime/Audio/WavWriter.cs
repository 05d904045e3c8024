using System.Buffers.Binary;
using LmacTd.Runtime.IO;

namespace LmacTd.Runtime.Audio;

/// <summary>Writes mono WAV files atomically (a temporary file, then a rename).</summary>
public static class WavWriter
{
    private const int FormatPcm = 1;
    private const int FormatFloat = 3;

    /// <summary>
    /// Writes <paramref name="samples"/> as a mono 32-bit float WAV file at <paramref name="path"/> (lossless for the
    /// runtime's outputs, whose peaks may pass 1).
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="samples">Mono samples, nominally in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second.</param>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate) => Write(path, samples, sampleRate, WavSampleFormat.Float32);

    /// <summary>The complete bytes of a mono 32-bit float WAV file holding <paramref name="samples"/>.</summary>
    /// <param name="samples">Mono samples, nominally in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second.</param>
    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate) => Encode(samples, sampleRate, WavSampleFormat.Float32);

    /// <summary>Writes <paramref name="samples"/> as a mono WAV file in <paramref name="format"/> (the CLI's <c>--pcm16</c>).</summary>
    internal static void Write(string path, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var bytes = Encode(samples, sampleRate, format);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The complete bytes of a mono WAV file holding <paramref name="samples"/> in <paramref name="format"/>.</summary>
    internal static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format)
    {
        int bytesPerSample = format == WavSampleFormat.Float32 ? 4 : 2;
        long dataBytes = (long)samples.Length * bytesPerSample;
        // The float format carries a fact chunk, as the WAVE spec asks of non-PCM data.
        int headerBytes = format == WavSampleFormat.Float32 ? 12 + 26 + 12 + 8 : 12 + 24 + 8;
        if (headerBytes + dataBytes > uint.MaxValue) throw new ArgumentException("too many samples for one WAV file", nameof(samples));
        var buffer = new byte[headerBytes + dataBytes];
        var s = buffer.AsSpan();
        int o = 0;
        WriteTag(s, ref o, "RIFF");
        WriteU32(s, ref o, (uint)(buffer.Length - 8));
        WriteTag(s, ref o, "WAVE");
        WriteTag(s, ref o, "fmt ");
        WriteU32(s, ref o, format == WavSampleFormat.Float32 ? 18u : 16u);
        WriteU16(s, ref o, format == WavSampleFormat.Float32 ? FormatFloat : FormatPcm);
        WriteU16(s, ref o, 1);
        WriteU32(s, ref o, (uint)sampleRate);
        WriteU32(s, ref o, (uint)(sampleRate * bytesPerSample));
        WriteU16(s, ref o, bytesPerSample);
        WriteU16(s, ref o, bytesPerSample * 8);
        if (format == WavSampleFormat.Float32)
        {
            WriteU16(s, ref o, 0);
            WriteTag(s, ref o, "fact");
            WriteU32(s, ref o, 4);
            WriteU32(s, ref o, (uint)samples.Length);
        }

        WriteTag(s, ref o, "data");
        WriteU32(s, ref o, (uint)dataBytes);
        if (format == WavSampleFormat.Float32)
        {
            foreach (var x in samples)
            {
                BinaryPrimitives.WriteSingleLittleEndian(s[o..], x);
                o += 4;
            }
        }
        else
        {
            foreach (var x in samples)
            {
                float v = float.IsNaN(x) ? 0 : Math.Clamp(x, -1f, 1f);
                BinaryPrimitives.WriteInt16LittleEndian(s[o..], (short)Math.Clamp(MathF.Round(v * 32768f), short.MinValue, short.MaxValue));
                o += 2;
            }
        }

        return buffer;
    }

    private static void WriteTag(Span<byte> s, ref int o, string tag)
    {
        for (int i = 0; i < 4; i++) s[o + i] = (byte)tag[i];
        o += 4;
    }

    private static void WriteU32(Span<byte> s, ref int o, uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s[o..], v);
        o += 4;
    }

    private static void WriteU16(Span<byte> s, ref int o, int v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(s[o..], (ushort)v);
        o += 2;
    }
}

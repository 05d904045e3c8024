using System.Buffers.Binary;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>Writes WAV files of any sample format for the decoder tests (independent of the runtime's writer).</summary>
internal static class WavBuilder
{
    public static byte[] Build(float[] interleaved, int channels, int rate, int bits, bool isFloat, bool extensible)
    {
        int bytes = bits / 8;
        var data = new byte[interleaved.Length * bytes];
        for (int i = 0; i < interleaved.Length; i++)
        {
            var s = data.AsSpan(i * bytes);
            double x = interleaved[i];
            switch (bits, isFloat)
            {
                case (8, false): s[0] = (byte)Math.Clamp(Math.Round(x * 128) + 128, 0, 255); break;
                case (16, false): BinaryPrimitives.WriteInt16LittleEndian(s, (short)Math.Clamp(Math.Round(x * 32768), short.MinValue, short.MaxValue)); break;
                case (24, false):
                    int v = (int)Math.Clamp(Math.Round(x * 8388608), -8388608, 8388607);
                    s[0] = (byte)v;
                    s[1] = (byte)(v >> 8);
                    s[2] = (byte)(v >> 16);
                    break;
                case (32, false): BinaryPrimitives.WriteInt32LittleEndian(s, (int)Math.Clamp(Math.Round(x * 2147483648.0), int.MinValue, int.MaxValue)); break;
                case (32, true): BinaryPrimitives.WriteSingleLittleEndian(s, (float)x); break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(s, x); break;
            }
        }

        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        int fmtSize = extensible ? 40 : 16;
        w.Write("RIFF"u8);
        w.Write(4 + 8 + fmtSize + 8 + data.Length);
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(fmtSize);
        w.Write((ushort)(extensible ? 0xFFFE : isFloat ? 3 : 1));
        w.Write((ushort)channels);
        w.Write(rate);
        w.Write(rate * channels * bytes);
        w.Write((ushort)(channels * bytes));
        w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)bits);
            w.Write(channels == 2 ? 3 : 0);
            w.Write(new Guid(isFloat ? "00000003-0000-0010-8000-00aa00389b71" : "00000001-0000-0010-8000-00aa00389b71").ToByteArray());
        }

        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return ms.ToArray();
    }
}

using System.Buffers.Binary;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>Little-endian AIFF-C ("sowt", what macOS writes), which sox cannot make: built here around the 16-bit AIFF reference's samples.</summary>
public class AifcSowtTests
{
    [Theory]
    [InlineData("sowt")]
    [InlineData("ulaw")]
    public void A_sowt_aifc_decodes_to_the_reference_samples_and_other_compressions_are_named(string compression)
    {
        const string file = "aiff16-stereo.aiff";
        var c = ReferenceFiles.Case(file);
        var samples = ReferenceFiles.Raw(file, c.Bits);
        var bytes = Build(samples, c.Channels, compression);
        if (compression != "sowt")
        {
            var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "x.aifc"));
            Assert.Contains($"compression '{compression}'", e.Message, StringComparison.Ordinal);
            return;
        }

        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(bytes), "x.aifc");
        Assert.Equal(c.Channels, decoded.Channels);
        Assert.Equal(44100, decoded.SampleRate);
        Assert.Equal(samples.Length, decoded.Count);
        Assert.Equal(samples.Length / c.Channels, decoded.DeclaredFrames);
        for (int i = 0; i < samples.Length; i++) Assert.Equal(samples[i], decoded.Span[i] * 32768f);

        var cut = AudioDecoder.Decode(new MemoryStream(bytes[..^400]), "cut.aifc");
        Assert.True(cut.Truncated);
        Assert.Equal(samples.Length / c.Channels - 100, cut.Samples.Length);
    }

    /// <summary>FORM/AIFC with FVER, COMM (44.1 kHz, 16-bit, the given compression) and SSND of little-endian samples.</summary>
    private static byte[] Build(int[] samples, int channels, string compression)
    {
        using var ms = new MemoryStream();
        void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
            ms.Write(b);
        }

        void U16(int v)
        {
            ms.WriteByte((byte)(v >> 8));
            ms.WriteByte((byte)v);
        }

        int data = samples.Length * 2;
        ms.Write("FORM"u8);
        U32((uint)(4 + 12 + 8 + 24 + 8 + 8 + data));
        ms.Write("AIFC"u8);
        ms.Write("FVER"u8);
        U32(4);
        U32(0xA2805140);
        ms.Write("COMM"u8);
        U32(24);
        U16(channels);
        U32((uint)(samples.Length / channels));
        U16(16);
        ms.Write([0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]); // 44100 as an 80-bit extended number
        ms.Write(System.Text.Encoding.ASCII.GetBytes(compression));
        ms.Write([0, 0]); // empty Pascal name, padded to even
        ms.Write("SSND"u8);
        U32((uint)(8 + data));
        U32(0);
        U32(0);
        foreach (var s in samples)
        {
            ms.WriteByte((byte)s);
            ms.WriteByte((byte)(s >> 8));
        }

        return ms.ToArray();
    }
}

using System.Buffers.Binary;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>Ogg Vorbis and Opus headers out of range are refused before decoding.</summary>
public class OggHeaderTests
{
    [Fact]
    public void An_ogg_vorbis_claiming_7_Hz_is_refused()
    {
        var bytes = File.ReadAllBytes(TestData.Fixture("tone-440hz-22050-stereo.ogg"));

        // Identification header: "\x01vorbis", version (4), channels (1), rate (4).
        int id = InputSanityTests.IndexOf(bytes, "\u0001vorbis"u8);
        Assert.Equal(22050, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(id + 12)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(id + 12), 7);
        ResealFirstPage(bytes);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "slow.ogg"));
        Assert.Contains("sample rate 7 Hz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ogg_opus_claiming_40_channels_is_refused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "opus-stereo.opus"));
        int head = InputSanityTests.IndexOf(bytes, "OpusHead"u8);
        Assert.Equal(2, bytes[head + 9]);
        bytes[head + 9] = 40;
        ResealFirstPage(bytes);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "many.opus"));
        Assert.Contains("40 channels", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Recomputes the first Ogg page's CRC-32 (polynomial 0x04C11DB7, no reflection, over the page with the CRC field zeroed).</summary>
    private static void ResealFirstPage(byte[] bytes)
    {
        int segments = bytes[26];
        int length = 27 + segments;
        for (int i = 0; i < segments; i++) length += bytes[27 + i];
        bytes.AsSpan(22, 4).Clear();
        uint crc = 0;
        foreach (var b in bytes.AsSpan(0, length))
        {
            crc ^= (uint)b << 24;
            for (int k = 0; k < 8; k++) crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(22), crc);
    }
}

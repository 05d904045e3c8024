using System.Buffers.Binary;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>Headers out of range, lying sizes and cut files: refused clearly, or decoded as far as they go.</summary>
public class InputSanityTests
{
    [Theory]
    [InlineData(7, "sample rate 7 Hz")]
    [InlineData(999, "sample rate 999 Hz")]
    [InlineData(800_000, "sample rate 800000 Hz")]
    public void A_wav_rate_outside_1_to_768_kHz_is_refused(int rate, string expected)
    {
        var bytes = WavBuilder.Build(TestData.Sine(4000, 16000, 300), 1, rate, 16, false, false);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "slow.wav"));
        Assert.Equal("slow.wav", e.File);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(768_000)]
    public void The_edge_rates_are_accepted(int rate)
    {
        var bytes = WavBuilder.Build(TestData.Sine(400, 16000, 300), 1, rate, 16, false, false);
        Assert.Equal(rate, AudioDecoder.Decode(new MemoryStream(bytes), "edge.wav").SampleRate);
    }

    [Fact]
    public void More_than_32_channels_are_refused()
    {
        var bytes = WavBuilder.Build(new float[40 * 100], 40, 16000, 16, false, false);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "many.wav"));
        Assert.Contains("40 channels", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("many.wav: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thirty_two_channels_are_accepted()
    {
        var bytes = WavBuilder.Build(new float[32 * 100], 32, 16000, 16, false, false);
        Assert.Equal(32, AudioDecoder.Decode(new MemoryStream(bytes), "32.wav").SourceChannels);
    }

    [Fact]
    public void An_aiff_claiming_7_Hz_is_refused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "aiff16-stereo.aiff"));
        int comm = IndexOf(bytes, "COMM"u8);
        var rate = bytes.AsSpan(comm + 16, 10);
        BinaryPrimitives.WriteUInt16BigEndian(rate, 16383 + 2); // 7 = 1.75 * 2^2
        BinaryPrimitives.WriteUInt64BigEndian(rate[2..], 0xE000000000000000);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "slow.aiff"));
        Assert.Contains("sample rate 7 Hz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flac_claiming_7_Hz_is_refused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "flac16-mono-fixed.flac"));

        // STREAMINFO's 20-bit rate starts at byte 18: "fLaC", the block header, then 10 bytes of sizes.
        bytes[18] = 0;
        bytes[19] = 0;
        bytes[20] = (byte)((7 << 4) | (bytes[20] & 0x0F));
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "slow.flac"));
        Assert.Contains("sample rate 7 Hz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wav_cut_short_decodes_what_it_holds_and_reports_the_declared_length()
    {
        const int rate = 16000;
        var full = WavBuilder.Build(TestData.Sine(5 * rate, rate, 300), 1, rate, 16, false, false);
        var cut = full[..1024];
        var clip = AudioDecoder.Decode(new MemoryStream(cut), "cut.wav");

        int headerBytes = full.Length - 5 * rate * 2;
        Assert.Equal((1024 - headerBytes) / 2, clip.Samples.Length);
        Assert.Equal(5 * rate, clip.DeclaredFrames);
        Assert.Equal(5.0, clip.DeclaredSeconds!.Value, 9);
        Assert.True(clip.Truncated);
        Assert.True(clip.DurationSeconds < 0.05);
    }

    [Fact]
    public void A_whole_wav_is_not_truncated()
    {
        var clip = AudioDecoder.Decode(new MemoryStream(WavBuilder.Build(TestData.Sine(1600, 16000, 300), 1, 16000, 16, false, false)), "x.wav");
        Assert.False(clip.Truncated);
        Assert.Equal(clip.Samples.Length, clip.DeclaredFrames);
    }

    [Fact]
    public void A_flac_cut_in_half_keeps_its_whole_frames_bit_exact()
    {
        const string file = "flac16-stereo-lpc.flac";
        var c = ReferenceFiles.Case(file);
        var reference = ReferenceFiles.Raw(file, c.Bits);
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, file));
        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(bytes[..(bytes.Length / 2)]), "half.flac");

        Assert.Equal(reference.Length / c.Channels, decoded.DeclaredFrames);
        Assert.InRange(decoded.Frames, 1, reference.Length / c.Channels - 1);
        for (int i = 0; i < decoded.Count; i++) Assert.Equal(reference[i], decoded.Span[i] * 32768f);
        var clip = AudioDecoder.Decode(new MemoryStream(bytes[..(bytes.Length / 2)]), "half.flac");
        Assert.True(clip.Truncated);
    }

    [Fact]
    public void An_aiff_cut_short_reports_its_declared_frames()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "aiff16-stereo.aiff"));
        var clip = AudioDecoder.Decode(new MemoryStream(bytes[..(bytes.Length / 2)]), "cut.aiff");
        var whole = AudioDecoder.Decode(new MemoryStream(bytes), "whole.aiff");
        Assert.True(clip.Truncated);
        Assert.Equal(whole.Samples.Length, clip.DeclaredFrames);
        Assert.Equal(whole.Samples.AsSpan(0, clip.Samples.Length).ToArray(), clip.Samples);
    }

    [Fact]
    public void A_flac_frame_that_fails_its_crc_is_refused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "flac16-stereo-lpc.flac"));
        bytes[bytes.Length / 2] ^= 0x10;
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "flip.flac"));
        Assert.Contains("CRC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Junk_after_the_last_flac_frame_is_ignored()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "flac8-mono.flac"));
        var tagged = bytes.Concat("TAG"u8.ToArray()).Concat(Enumerable.Repeat((byte)0xFF, 125)).ToArray();
        var clip = AudioDecoder.Decode(new MemoryStream(tagged), "tagged.flac");
        Assert.Equal(AudioDecoder.Decode(new MemoryStream(bytes), "plain.flac").Samples, clip.Samples);
    }

    [Fact]
    public void An_rf64_takes_its_sizes_from_ds64_and_reports_a_cut()
    {
        var wav = WavBuilder.Build(TestData.Sine(2 * 3000, 16000, 300), 2, 16000, 16, false, false); // 3000 stereo frames
        int dataBytes = 3000 * 2 * 2;

        // RF64: "RF64", sizes of -1 in the RIFF and data headers, the real ones in a ds64 chunk after "WAVE".
        var ds64 = new byte[8 + 28];
        "ds64"u8.CopyTo(ds64);
        BinaryPrimitives.WriteUInt32LittleEndian(ds64.AsSpan(4), 28);
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(8), wav.Length + ds64.Length - 8);
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(16), dataBytes);
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(24), 3000);
        byte[] rf64 = [.. "RF64"u8, 0xFF, 0xFF, 0xFF, 0xFF, .. wav.AsSpan(8, 4), .. ds64, .. wav.AsSpan(12)];
        BinaryPrimitives.WriteUInt32LittleEndian(rf64.AsSpan(IndexOf(rf64, "data"u8) + 4), uint.MaxValue);

        var whole = AudioDecoder.Decode(new MemoryStream(rf64), "x.rf64");
        Assert.Equal(AudioDecoder.Decode(new MemoryStream(wav), "x.wav").Samples, whole.Samples);
        Assert.Equal(3000, whole.DeclaredFrames);
        var cut = AudioDecoder.Decode(new MemoryStream(rf64[..^4000]), "cut.rf64");
        Assert.True(cut.Truncated);
        Assert.Equal(3000 - 1000, cut.Samples.Length);
    }

    internal static int IndexOf(byte[] bytes, ReadOnlySpan<byte> what)
    {
        int i = bytes.AsSpan().IndexOf(what);
        Assert.True(i >= 0, "marker not found");
        return i;
    }
}

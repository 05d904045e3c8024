using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

public class AudioStreamReaderTests
{
    public static TheoryData<int, bool, bool, int> Formats() => AudioDecoderTests.Formats();

    [Theory]
    [MemberData(nameof(Formats))]
    public void Reading_in_blocks_gives_the_whole_file_decode_bit_for_bit(int bits, bool isFloat, bool extensible, int channels)
    {
        const int rate = 22050, frames = 5003;
        var interleaved = new float[frames * channels];
        var noise = TestData.Noise(interleaved.Length, bits * 10 + channels, 0.8);
        for (int i = 0; i < interleaved.Length; i++) interleaved[i] = noise[i];
        using var dir = new TempDir();
        var path = dir.File("x.wav");
        File.WriteAllBytes(path, WavBuilder.Build(interleaved, channels, rate, bits, isFloat, extensible));
        var whole = AudioDecoder.Load(path);

        foreach (int block in new[] { 1, 997, 1 << 16 })
        {
            using var reader = AudioStreamReader.Open(path);
            Assert.True(reader.IsIncremental);
            Assert.Equal(rate, reader.SampleRate);
            Assert.Equal(channels, reader.Channels);
            Assert.Equal(whole.DeclaredFrames, reader.DeclaredFrames);
            Assert.Equal(frames, reader.Frames);
            var got = ReadAll(reader, block);
            Assert.Equal(whole.Samples.Length, got.Length);
            for (int i = 0; i < got.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(whole.Samples[i]) == BitConverter.SingleToInt32Bits(got[i]), $"block {block}, sample {i}: {got[i]} vs {whole.Samples[i]}");
        }
    }

    [Fact]
    public void A_cut_file_reads_what_it_holds_and_keeps_the_declared_length()
    {
        using var dir = new TempDir();
        var path = dir.File("cut.wav");
        var bytes = WavBuilder.Build(TestData.Noise(3000, 3, 0.5), 1, 16000, 16, false, false);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 1001)]); // cuts a frame in half too
        var whole = AudioDecoder.Load(path);

        using var reader = AudioStreamReader.Open(path);
        var got = ReadAll(reader, 333);

        Assert.Equal(3000, reader.DeclaredFrames);
        Assert.Equal(whole.Samples, got);
        Assert.True(got.Length < 3000);
    }

    [Fact]
    public void Other_formats_fall_back_to_the_whole_file_decode()
    {
        using var dir = new TempDir();
        var path = dir.File("x.aiff");
        WriteAiff(path, TestData.Noise(1234, 5, 0.5));
        var whole = AudioDecoder.Load(path);

        using var reader = AudioStreamReader.Open(path);

        Assert.False(reader.IsIncremental);
        Assert.Equal(whole.Samples, ReadAll(reader, 100));
    }

    [Theory]
    [InlineData("RIFF\u0010\u0000\u0000\u0000WAVEjunkjunk", "corrupt")]
    [InlineData("this is not audio at all", "not an audio file")]
    [InlineData("", "too short")]
    public void Bad_files_fail_as_the_decoder_does_naming_the_file(string content, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.wav");
        File.WriteAllText(path, content);

        var e = Assert.Throws<AudioFormatException>(() =>
        {
            using var reader = AudioStreamReader.Open(path);
            ReadAll(reader, 100);
        });

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_wav_without_samples_is_refused_naming_the_file()
    {
        using var dir = new TempDir();
        var path = dir.File("empty.wav");
        File.WriteAllBytes(path, WavBuilder.Build([], 1, 16000, 16, false, false));

        using var reader = AudioStreamReader.Open(path);
        var e = Assert.Throws<AudioFormatException>(() => ReadAll(reader, 10));

        Assert.Contains("no audio samples", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    private static float[] ReadAll(AudioStreamReader reader, int block)
    {
        var all = new List<float>();
        var buffer = new float[block];
        int n;
        while ((n = reader.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return [.. all];
    }

    // A minimal 16-bit big-endian AIFF, written independently of the runtime.
    private static void WriteAiff(string path, float[] samples)
    {
        using var s = new MemoryStream();
        void Be32(int v) => s.Write([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        void Be16(int v) => s.Write([(byte)(v >> 8), (byte)v]);
        s.Write("FORM"u8);
        Be32(4 + 8 + 18 + 8 + 8 + samples.Length * 2);
        s.Write("AIFF"u8);
        s.Write("COMM"u8);
        Be32(18);
        Be16(1);
        Be32(samples.Length);
        Be16(16);
        // 16000 Hz as an 80-bit extended float: exponent 16383 + 13, mantissa 16000 << (63 - 13).
        s.Write([0x40, 0x0C, 0xFA, 0x00, 0, 0, 0, 0, 0, 0]);
        s.Write("SSND"u8);
        Be32(8 + samples.Length * 2);
        Be32(0);
        Be32(0);
        foreach (var x in samples) Be16((short)Math.Round(x * 32767));
        File.WriteAllBytes(path, s.ToArray());
    }
}

/// <summary>The block reader's arguments, its count of frames, reads of nothing, and that it lets go of the file.</summary>
public class AudioStreamReaderEdgeTests
{
    [Fact]
    public void Missing_paths_directories_and_absent_files_are_refused_by_name()
    {
        Assert.ThrowsAny<ArgumentException>(() => AudioStreamReader.Open(null!));
        Assert.ThrowsAny<ArgumentException>(() => AudioStreamReader.Open(" "));
        using var dir = new TempDir();
        Assert.Contains("is a directory, not an audio file", Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(dir.Path)).Message, StringComparison.Ordinal);
        var missing = dir.File("gone.wav");
        var e = Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(missing));
        Assert.Equal(missing, e.File);
        Assert.Contains("file not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_read_are_counted_and_reads_of_nothing_or_past_the_end_give_nothing()
    {
        using var dir = new TempDir();
        var path = dir.File("x.wav");
        File.WriteAllBytes(path, WavBuilder.Build(TestData.Noise(2 * 1000, 1), 2, 8000, 16, false, false));
        using var reader = AudioStreamReader.Open(path);
        Assert.Equal(0, reader.Read(Span<float>.Empty));
        var buffer = new float[300];
        long total = 0;
        int n;
        while ((n = reader.Read(buffer)) > 0)
        {
            total += n;
            Assert.Equal(total, reader.FramesRead);
        }

        Assert.Equal(1000, total);
        Assert.Equal(0, reader.Read(buffer));
        Assert.Equal(1000, reader.FramesRead);
        Assert.Null(reader.Whole);
        Assert.Equal(path, reader.Name);
    }

    [Fact]
    public void An_empty_wav_is_refused_only_when_samples_are_asked_for()
    {
        using var dir = new TempDir();
        var path = dir.File("empty.wav");
        File.WriteAllBytes(path, WavBuilder.Build([], 1, 8000, 16, false, false));
        using var reader = AudioStreamReader.Open(path);
        Assert.Equal(0, reader.Read(Span<float>.Empty));
        Assert.Throws<AudioFormatException>(() => reader.Read(new float[10]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_file_is_let_go_on_dispose_and_when_opening_fails(bool valid)
    {
        // .NET locks files it opens for reading against exclusive opens (on Linux with advisory locks): an exclusive open
        // succeeds only once no reader holds the file.
        using var dir = new TempDir();
        var path = dir.File("x.wav");
        var wav = WavBuilder.Build(TestData.Noise(100, 2), 1, 8000, 16, false, false);
        if (!valid) wav[20] = 2; // ADPCM: refused after the file was opened
        File.WriteAllBytes(path, wav);
        if (valid)
        {
            var reader = AudioStreamReader.Open(path);
            Assert.Throws<IOException>(() => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
            reader.Dispose();
        }
        else
        {
            Assert.Throws<AudioFormatException>(() => AudioStreamReader.Open(path));
        }

        new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
    }
}

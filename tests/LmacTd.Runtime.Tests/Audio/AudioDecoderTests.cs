using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

public class AudioDecoderTests
{
    public static TheoryData<int, bool, bool, int> Formats()
    {
        var data = new TheoryData<int, bool, bool, int>();
        foreach (var ext in new[] { false, true })
        {
            foreach (var (bits, isFloat) in new[] { (8, false), (16, false), (24, false), (32, false), (32, true), (64, true) })
            {
                foreach (var ch in new[] { 1, 2, 6 }) data.Add(bits, isFloat, ext, ch);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Reads_every_sample_format_and_averages_channels(int bits, bool isFloat, bool extensible, int channels)
    {
        const int rate = 22050, frames = 2000;
        var left = TestData.Sine(frames, rate, 440, 0.6);
        var right = TestData.Sine(frames, rate, 1000, 0.3);
        var interleaved = new float[frames * channels];
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < channels; c++) interleaved[f * channels + c] = c % 2 == 0 ? left[f] : right[f];
        }

        var bytes = WavBuilder.Build(interleaved, channels, rate, bits, isFloat, extensible);
        var clip = AudioDecoder.Decode(new MemoryStream(bytes), "x.wav");

        Assert.Equal(rate, clip.SampleRate);
        Assert.Equal(channels, clip.SourceChannels);
        Assert.Equal(frames, clip.Samples.Length);
        double tolerance = bits == 8 ? 1.0 / 100 : isFloat ? 1e-6 : 1e-4;
        for (int f = 0; f < frames; f += 7)
        {
            double expected = channels == 1 ? left[f] : (left[f] * ((channels + 1) / 2) + right[f] * (channels / 2)) / channels;
            Assert.True(Math.Abs(expected - clip.Samples[f]) <= tolerance, $"frame {f}: {clip.Samples[f]} vs {expected}");
        }
    }

    [Fact]
    public void Reads_ogg_vorbis()
    {
        var clip = AudioDecoder.Load(TestData.Fixture("tone-440hz-22050-stereo.ogg"));
        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(2, clip.SourceChannels);
        Assert.InRange(clip.Samples.Length, 11000, 11100);
        Assert.InRange(TestData.MaxAbs(clip.Samples), 0.4f, 0.6f);
    }

    [Theory]
    [InlineData("RIFF\u0010\u0000\u0000\u0000WAVEjunkjunk", "corrupt")]
    [InlineData("this is not audio at all", "not an audio file")]
    [InlineData("RIF", "too short")]
    public void Rejects_bad_files_with_the_file_name(string content, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.wav");
        File.WriteAllText(path, content);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_wav_without_samples()
    {
        var bytes = WavBuilder.Build([], 1, 16000, 16, false, false);
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "empty.wav"));
        Assert.Contains("no audio samples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_unsupported_wav_encoding()
    {
        var bytes = WavBuilder.Build(new float[100], 1, 16000, 16, false, false);
        bytes[20] = 2; // WAVE_FORMAT_ADPCM
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "adpcm.wav"));
        Assert.Contains("encoding", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_wav_yields_the_whole_frames_it_holds()
    {
        var bytes = WavBuilder.Build(TestData.Sine(1000, 16000, 300), 1, 16000, 16, false, false);
        var clip = AudioDecoder.Decode(new MemoryStream(bytes[..^501]), "cut.wav");
        Assert.Equal(749, clip.Samples.Length);
    }

    [Fact]
    public void Reports_a_missing_file()
    {
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load("/nonexistent/x.wav"));
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }
}

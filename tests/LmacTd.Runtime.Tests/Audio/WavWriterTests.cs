using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

public class WavWriterTests
{
    [Fact]
    public void Float32_round_trips_exactly()
    {
        using var dir = new TempDir();
        var x = TestData.Noise(12345, 1, 0.9);
        WavWriter.Write(dir.File("a.wav"), x, 44100);
        var clip = AudioDecoder.Load(dir.File("a.wav"));
        Assert.Equal(44100, clip.SampleRate);
        Assert.Equal(x, clip.Samples);
    }

    [Fact]
    public void Pcm16_round_trips_within_one_step_and_clips()
    {
        using var dir = new TempDir();
        var x = TestData.Noise(5000, 2, 0.9);
        x[10] = 1.7f;
        x[11] = -3f;
        WavWriter.Write(dir.File("b.wav"), x, 8000, WavSampleFormat.Pcm16);
        var clip = AudioDecoder.Load(dir.File("b.wav"));
        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal(32767 / 32768f, clip.Samples[10]);
        Assert.Equal(-1f, clip.Samples[11]);
        x[10] = 32767 / 32768f;
        x[11] = -1f;
        Assert.True(TestData.MaxAbsDiff(x, clip.Samples) <= 0.5f / 32768 + 1e-7f);
    }

    [Fact]
    public void Leaves_no_temporary_file_behind()
    {
        using var dir = new TempDir();
        WavWriter.Write(dir.File("c.wav"), new float[100], 16000);
        WavWriter.Write(dir.File("c.wav"), new float[50], 16000);
        Assert.Equal(["c.wav"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(50, AudioDecoder.Load(dir.File("c.wav")).Samples.Length);
    }

    [Fact]
    public void A_failed_write_leaves_nothing_and_keeps_the_old_file()
    {
        using var dir = new TempDir();
        var path = dir.File("d.wav");
        WavWriter.Write(path, new float[10], 16000);
        Assert.ThrowsAny<Exception>(() => IO.AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new IOException("disk full");
        }));
        Assert.Equal(["d.wav"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(10, AudioDecoder.Load(path).Samples.Length);
    }
}

using System.Text.Json;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>No silent clipping: float output keeps its peaks, 16-bit output is scaled by one gain that is reported.</summary>
public class OutputLevelTests
{
    private static string[] Explain(params string[] args) =>
        ["explain", .. args, "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1"];

    private static string LoudWav(TempDir dir)
    {
        // Above full scale, as a float file can be: no 16-bit file can hold it.
        var x = TestData.Sine(16000, 16000, 300, 1.5).Zip(TestData.Noise(16000, 3, 0.1), (a, b) => a + b).ToArray();
        var path = dir.File("loud.wav");
        WavWriter.Write(path, x, 16000);
        return path;
    }

    [Fact]
    public void Sixteen_bit_output_that_would_clip_is_scaled_by_one_gain_and_said()
    {
        using var dir = new TempDir();
        var input = LoudWav(dir);
        var x = AudioDecoder.Load(input).Samples;

        var (code, _, error) = CliRunner.Run(Explain(input, "--pcm16"));

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllBytes(dir.File("loud.json")));
        double gain = json.RootElement.GetProperty("pcm16Gain").GetDouble();
        Assert.InRange(gain, 0.3, 0.999);
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("kind").GetString() == "clipping");
        Assert.Contains("warning: ", error);
        Assert.Contains("would clip", error);
        var e = AudioDecoder.Load(dir.File("loud.explanation.wav")).Samples;
        var r = AudioDecoder.Load(dir.File("loud.masked-out.wav")).Samples;
        // Nothing clipped: the two files, undone by the one gain, still add up to the input (to 16-bit precision).
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs((e[i] + r[i]) / gain - x[i]) < 4.0 / 32768 / gain, $"sample {i}");
    }

    [Fact]
    public void Float_output_keeps_peaks_above_full_scale()
    {
        using var dir = new TempDir();
        var input = LoudWav(dir);
        var x = AudioDecoder.Load(input).Samples;

        var (code, _, error) = CliRunner.Run(Explain(input));

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllBytes(dir.File("loud.json")));
        Assert.False(json.RootElement.TryGetProperty("pcm16Gain", out _));
        var e = AudioDecoder.Load(dir.File("loud.explanation.wav")).Samples;
        var r = AudioDecoder.Load(dir.File("loud.masked-out.wav")).Samples;
        Assert.True(e.Concat(r).Max(Math.Abs) > 1f);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(e[i] + r[i] - x[i]) < 1e-5f, $"sample {i}");
    }
}

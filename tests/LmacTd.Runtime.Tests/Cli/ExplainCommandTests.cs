using System.Text.Json;
using LmacTd.Cli;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

public class ExplainCommandTests
{
    [Fact]
    public void Writes_two_wavs_and_a_json_report_per_file()
    {
        using var dir = new TempDir();
        var input = dir.File("street.wav");
        WavWriter.Write(input, TestData.Sine(44100, 44100, 440).Zip(TestData.Noise(44100, 1, 0.1), (a, b) => a + b).ToArray(), 44100, WavSampleFormat.Pcm16);
        var outDir = Path.Combine(dir.Path, "out");

        var (code, output, error) = CliRunner.Run("explain", input, "--model", TestData.TinyPackage, "--out", outDir, "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{input}: ", lines[1], StringComparison.Ordinal);
        var explanation = AudioDecoder.Load(Path.Combine(outDir, "street.explanation.wav"));
        var maskedOut = AudioDecoder.Load(Path.Combine(outDir, "street.masked-out.wav"));
        Assert.Equal(44100, explanation.SampleRate);
        Assert.Equal(44100, explanation.Samples.Length);
        Assert.Equal(44100, maskedOut.Samples.Length);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "street.json")));
        var r = json.RootElement;
        Assert.Equal("cpu", r.GetProperty("device").GetString());
        Assert.Equal("lmac-td", r.GetProperty("interpreter").GetString());
        Assert.False(string.IsNullOrEmpty(r.GetProperty("model").GetString()));
        Assert.Equal("fp32", r.GetProperty("modelPrecision").GetString());
        Assert.False(r.TryGetProperty("modelPrecisionGate", out _));
        Assert.Equal(5, r.GetProperty("top").GetArrayLength());
        Assert.Equal(r.GetProperty("predicted").GetString(), r.GetProperty("top")[0].GetProperty("label").GetString());
        Assert.Equal(r.GetProperty("classIndex").GetInt32(), r.GetProperty("top")[0].GetProperty("classIndex").GetInt32());
        Assert.Equal(1.0, r.GetProperty("durationSeconds").GetDouble(), 6);
        foreach (var stage in new[] { "decodeMs", "frontEndMs", "classifierMs", "interpreterMs", "totalMs" })
            Assert.True(r.GetProperty("timings").GetProperty(stage).GetDouble() >= 0, stage);
        Assert.Equal(3, Directory.GetFiles(outDir).Length);
    }

    [Fact]
    public void Any_common_wav_from_8_to_96_khz_gives_outputs_of_its_own_duration_and_rate()
    {
        using var dir = new TempDir();
        var cases = new (int Rate, int Bits, bool Float, bool Extensible, int Channels)[]
        {
            (8000, 8, false, false, 1), (11025, 16, false, false, 2), (22050, 24, false, true, 2),
            (32000, 32, false, false, 1), (44100, 32, true, false, 2), (48000, 16, false, true, 6),
            (88200, 64, true, false, 1), (96000, 24, false, false, 2),
        };
        var files = new List<string>();
        foreach (var c in cases)
        {
            int frames = c.Rate * 6 / 5;
            var mono = TestData.Sine(frames, c.Rate, 330).Zip(TestData.Noise(frames, c.Rate, 0.1), (a, b) => a + b).ToArray();
            var interleaved = new float[frames * c.Channels];
            for (int i = 0; i < interleaved.Length; i++) interleaved[i] = mono[i / c.Channels];
            var path = dir.File($"in-{c.Rate}-{c.Bits}{(c.Float ? "f" : "")}-{c.Channels}ch.wav");
            File.WriteAllBytes(path, Audio.WavBuilder.Build(interleaved, c.Channels, c.Rate, c.Bits, c.Float, c.Extensible));
            files.Add(path);
        }

        var (code, _, error) = CliRunner.Run(["explain", .. files, "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1"]);

        Assert.True(code == 0, error);
        for (int i = 0; i < cases.Length; i++)
        {
            var stem = Path.Combine(dir.Path, Path.GetFileNameWithoutExtension(files[i]));
            foreach (var suffix in new[] { ".explanation.wav", ".masked-out.wav" })
            {
                var output = AudioDecoder.Load(stem + suffix);
                Assert.Equal(cases[i].Rate, output.SampleRate);
                Assert.Equal(cases[i].Rate * 6 / 5, output.Samples.Length);
            }
        }
    }

    [Fact]
    public void Failed_files_get_one_line_each_and_the_others_still_run()
    {
        using var dir = new TempDir();
        var good = dir.File("good.wav");
        WavWriter.Write(good, TestData.Sine(8000, 16000, 300), 16000);
        var corrupt = dir.File("corrupt.wav");
        File.WriteAllBytes(corrupt, "RIFF\u0024\u0000\u0000\u0000WAVEfmt "u8.ToArray());
        var silent = dir.File("silent.wav");
        WavWriter.Write(silent, new float[8000], 16000);
        var missing = dir.File("missing.wav");

        var (code, output, error) = CliRunner.Run("explain", corrupt, good, silent, missing, "--model", TestData.TinyPackage, "--device", "cpu",
            "--interpreter", "lmac-stft", "--threads", "1");

        Assert.Equal(1, code);
        var errors = error.Trim().Split('\n');
        Assert.Equal(3, errors.Length);
        Assert.Contains(corrupt, errors[0], StringComparison.Ordinal);
        Assert.Contains(silent, errors[1], StringComparison.Ordinal);
        Assert.Contains("silent", errors[1], StringComparison.Ordinal);
        Assert.Contains(missing, errors[2], StringComparison.Ordinal);
        Assert.Contains("good.wav: ", output, StringComparison.Ordinal);
        // Outputs for the good file only, none half-written for the others.
        Assert.Equal(
            ["corrupt.wav", "good.explanation.wav", "good.json", "good.masked-out.wav", "good.wav", "silent.wav"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_damaged_model_stops_before_any_file_with_one_line()
    {
        using var pkg = TestData.CopyTinyPackage();
        File.Delete(pkg.File("lmac-td.onnx"));
        using var dir = new TempDir();
        var input = dir.File("a.wav");
        WavWriter.Write(input, TestData.Sine(8000, 16000, 300), 16000);

        var (code, output, error) = CliRunner.Run("explain", input, "--model", pkg.Path, "--device", "cpu");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("lmac-td.onnx", line, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Strict_cuda_without_a_gpu_is_a_one_line_error()
    {
        using var dir = new TempDir();
        var input = dir.File("a.wav");
        WavWriter.Write(input, TestData.Sine(8000, 16000, 300), 16000);
        var (code, _, error) = CliRunner.Run("explain", input, "--model", TestData.TinyPackage, "--device", "cuda");
        Assert.Equal(2, code);
        Assert.Contains("CUDA", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_model_the_bundled_default_explains_its_own_example()
    {
        var defaultPackage = ModelLocator.FindDefault();
        Assert.NotNull(defaultPackage);
        Assert.Equal(Path.Combine(TestData.RepoRoot, "models", "default"), Path.GetFullPath(defaultPackage));
        var example = Directory.GetFiles(Path.Combine(defaultPackage, "examples"), "*.wav").Order(StringComparer.Ordinal).First();
        using var dir = new TempDir();

        var (code, output, error) = CliRunner.Run("explain", example, "--out", dir.Path, "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Contains("model default", output, StringComparison.Ordinal);
        var name = Path.GetFileNameWithoutExtension(example);
        var input = AudioDecoder.Load(example);
        var explanation = AudioDecoder.Load(Path.Combine(dir.Path, name + ".explanation.wav"));
        Assert.Equal(input.SampleRate, explanation.SampleRate);
        Assert.Equal(input.Samples.Length, explanation.Samples.Length);
    }
}

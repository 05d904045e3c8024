using System.Buffers.Binary;
using LmacTd.Cli;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>
/// The command line refuses what it cannot do before any work, naming the option, with exit code 2. Every test runs on
/// a real, explainable file, so that it fails if the refusal goes (a missing file would fail whatever the option does).
/// </summary>
public class StrictCommandLineTests
{
    private static string RealWav(TempDir dir, string name = "tone.wav")
    {
        var path = dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WavWriter.Write(path, TestData.Sine(8000, 16000, 300).Zip(TestData.Noise(8000, 3, 0.05), (a, b) => a + b).ToArray(), 16000);
        return path;
    }

    private static string[] Explain(params string[] args) =>
        ["explain", .. args, "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1"];

    private static void AssertOnlyInputs(TempDir dir, params string[] inputs) =>
        Assert.Equal(inputs.Select(Path.GetFullPath).Order(StringComparer.Ordinal),
            Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("--bogus", "'--bogus'")]
    [InlineData("--ouput", "did you mean --out?")]
    public void An_unknown_option_is_refused_before_any_work(string option, string expected)
    {
        using var dir = new TempDir();
        var input = RealWav(dir);

        var (code, output, error) = CliRunner.Run(Explain(input, option, "x"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        AssertOnlyInputs(dir, input);
    }

    [Fact]
    public void A_file_named_like_an_option_is_taken_after_a_double_dash()
    {
        static IReadOnlyList<string> Unknown(params string[] args)
        {
            var parse = CommandLine.Build().Parse(args);
            return LmacTd.Cli.Commands.OptionRules.UnknownOptions(parse, parse.CommandResult.Command.Arguments[0]);
        }

        Assert.Single(Unknown("explain", "a.wav", "-odd.wav"));
        Assert.Empty(Unknown("explain", "a.wav", "--", "-odd.wav"));
        Assert.Empty(Unknown("explain", "a.wav", "--out", "-dir"));
    }

    [Theory]
    [InlineData("--device", "bogus", "--device must be auto, cpu or cuda, got 'bogus'")]
    [InlineData("--threads", "-3", "--threads must be >= 0, got -3")]
    [InlineData("--interpreter", "lmac", "--interpreter must be lmac-td")]
    [InlineData("--shard", "2/2", "--shard INDEX must be 0 to COUNT - 1")]
    public void A_bad_option_value_names_the_option_and_the_value(string option, string value, string expected)
    {
        using var dir = new TempDir();
        var input = RealWav(dir);

        var (code, _, error) = CliRunner.Run("explain", input, "--model", TestData.TinyPackage, option, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        AssertOnlyInputs(dir, input);
    }

    [Theory]
    [InlineData("--ouput", "x")]
    [InlineData("--bogus", null)]
    public void Eval_refuses_an_unknown_option_before_any_work(string option, string? value)
    {
        using var dir = new TempDir();
        RealWav(dir);
        var json = dir.File("e.json");

        // The unknown option both after and in place of INPUT: neither is taken for a path.
        var (code, _, error) = CliRunner.Run(["eval", dir.Path, "--model", TestData.TinyPackage, "--json", json, option, .. value is null ? Array.Empty<string>() : [value]]);
        var (alone, _, aloneError) = CliRunner.Run("eval", option, "--model", TestData.TinyPackage, "--json", json);

        Assert.Equal(2, code);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Equal(2, alone);
        Assert.Contains($"unknown option '{option}'", aloneError, StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Eval_refuses_a_bad_device_before_any_work()
    {
        using var dir = new TempDir();
        RealWav(dir);
        var json = dir.File("e.json");

        var (code, _, error) = CliRunner.Run("eval", dir.Path, "--model", TestData.TinyPackage, "--device", "bogus", "--json", json);

        Assert.Equal(2, code);
        Assert.Contains("--device must be auto, cpu or cuda, got 'bogus'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void A_folder_gives_its_audio_files_and_recursive_its_subfolders_too()
    {
        using var dir = new TempDir();
        RealWav(dir, "a.wav");
        RealWav(dir, Path.Combine("sub", "b.wav"));
        File.WriteAllText(dir.File("notes.txt"), "not audio");
        var outDir = Path.Combine(Path.GetTempPath(), "lmactd-tests-out-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (code, _, error) = CliRunner.Run(Explain(dir.Path, "--out", outDir));
            Assert.True(code == 0, error);
            Assert.Equal(["a.explanation.wav", "a.json", "a.masked-out.wav"], Names(outDir));

            // A second run over the same folder does not take the first run's outputs (beside the inputs) as inputs.
            (code, _, error) = CliRunner.Run(Explain(dir.Path, "--recursive"));
            Assert.True(code == 0, error);
            (code, _, error) = CliRunner.Run(Explain(dir.Path, "-r", "--out", outDir));
            Assert.True(code == 0, error);
            Assert.Equal(["a.explanation.wav", "a.json", "a.masked-out.wav", "b.explanation.wav", "b.json", "b.masked-out.wav"], Names(outDir));
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }

        static string[] Names(string d) => [.. Directory.GetFiles(d).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    }

    [Fact]
    public void A_folder_without_audio_is_refused_with_its_name()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.txt"), "not audio");
        var (code, _, error) = CliRunner.Run(Explain(dir.Path));
        Assert.Equal(2, code);
        Assert.Contains($"{dir.Path}: no audio files", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_inputs_with_one_output_name_are_refused_before_any_work()
    {
        using var dir = new TempDir();
        var a = RealWav(dir, Path.Combine("a", "x.wav"));
        var b = RealWav(dir, Path.Combine("b", "x.wav"));
        var outDir = dir.File("out");

        var (code, output, error) = CliRunner.Run(Explain(a, b, "--out", outDir));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(a, line, StringComparison.Ordinal);
        Assert.Contains(b, line, StringComparison.Ordinal);
        Assert.Contains("x.{explanation.wav,masked-out.wav,json}", line, StringComparison.Ordinal);
        AssertOnlyInputs(dir, a, b);
    }

    [Fact]
    public void An_error_line_names_the_file_once()
    {
        using var dir = new TempDir();
        var silent = dir.File("quiet.wav");
        WavWriter.Write(silent, new float[8000], 16000);

        var (code, _, error) = CliRunner.Run(Explain(silent));

        Assert.Equal(1, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("silent", line, StringComparison.Ordinal);
        Assert.Single(line.Split("quiet.wav").Skip(1));
    }

    [Theory]
    [InlineData(false, 3, 32)]
    [InlineData(true, 1, 16)]
    public void Pcm16_chooses_the_outputs_sample_format(bool pcm16, int formatTag, int bits)
    {
        using var dir = new TempDir();
        var input = RealWav(dir);

        var (code, _, error) = CliRunner.Run(pcm16 ? Explain(input, "--pcm16") : Explain(input));

        Assert.True(code == 0, error);
        foreach (var suffix in new[] { ".explanation.wav", ".masked-out.wav" })
        {
            // The WAV header read here by hand, not by the project's decoder: RIFF, WAVE, then the fmt chunk.
            var bytes = File.ReadAllBytes(dir.File("tone" + suffix));
            Assert.Equal("RIFFWAVEfmt ", System.Text.Encoding.ASCII.GetString(bytes, 0, 4) + System.Text.Encoding.ASCII.GetString(bytes, 8, 8));
            Assert.Equal(formatTag, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));
            Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));
            Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
            Assert.Equal(bits, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
            Assert.Equal(8000 * bits / 8, bytes.Length - (bytes.AsSpan().IndexOf("data"u8) + 8));
        }
    }

    [Fact]
    public void Explain_help_shows_two_examples_that_parse()
    {
        var (code, output, _) = CliRunner.Run("explain", "--help");

        Assert.Equal(0, code);
        var examples = output[output.IndexOf("Examples:", StringComparison.Ordinal)..].Split('\n')
            .Select(l => l.Trim()).Where(l => l.StartsWith("lmactd explain ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, examples.Count);
        foreach (var example in examples)
        {
            var parse = CommandLine.Build().Parse(example["lmactd ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.Empty(parse.Errors);
            Assert.Equal("explain", parse.CommandResult.Command.Name);
        }
    }
}

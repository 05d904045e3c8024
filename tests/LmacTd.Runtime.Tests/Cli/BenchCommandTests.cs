using System.Text.Json;
using LmacTd.Cli.Bench;
using LmacTd.Cli.Commands;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

public class BenchCommandTests
{
    [Theory]
    [InlineData("--rounds", "0", "--rounds must be >= 1, got 0")]
    [InlineData("--warmup", "0", "--warmup must be >= 1")]
    [InlineData("--seconds", "-2", "--seconds must be in (0, 3600], got -2")]
    [InlineData("--seconds", "4000", "--seconds must be in (0, 3600]")]
    [InlineData("--threads", "-1", "--threads must be >= 0, got -1")]
    [InlineData("--device", "gpu", "--device must be auto, cpu or cuda, got 'gpu'")]
    public void Bad_values_are_refused_naming_the_option(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Explain", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_and_seconds_with_an_input_are_refused()
    {
        using var dir = new TempDir();
        var missing = dir.File("nope.wav");
        var (code, _, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, "--input", missing);
        Assert.Equal(2, code);
        Assert.Contains($"{missing}: no such file", error, StringComparison.Ordinal);

        var wav = dir.File("in.wav");
        WavWriter.Write(wav, TestData.Sine(16000, 16000, 440), 16000);
        (code, _, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, "--input", wav, "--seconds", "3");
        Assert.Equal(2, code);
        Assert.Contains("--seconds", error, StringComparison.Ordinal);
        Assert.Contains("--input", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_and_writes_every_figure_of_a_run_on_the_tiny_package()
    {
        using var dir = new TempDir();
        var json = dir.File("bench.json");
        var (code, output, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1",
            "--rounds", "3", "--json", json);

        Assert.True(code == 0, error);
        foreach (var line in new[] { "cpu: ", "onnx runtime ", "intraOpThreads 1", "allowSpinning off", "cpuMemoryArena on", "real-time factor",
                     "front end (log-mel)", "interpreter graph", "Explain / its graph runs: " })
            Assert.Contains(line, output, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var r = doc.RootElement;
        Assert.Equal("lmac-td", r.GetProperty("interpreter").GetString());
        Assert.Equal("cpu", r.GetProperty("device").GetProperty("name").GetString());
        Assert.Equal(1, r.GetProperty("onnxRuntime").GetProperty("intraOpThreads").GetInt32());
        Assert.False(r.GetProperty("onnxRuntime").GetProperty("allowSpinning").GetBoolean());
        Assert.Equal(Environment.ProcessorCount, r.GetProperty("cpu").GetProperty("logicalCores").GetInt32());
        Assert.Equal(3, r.GetProperty("rounds").GetInt32());
        Assert.Equal(1, r.GetProperty("input").GetProperty("windows").GetInt32());
        Assert.Equal(5.0, r.GetProperty("input").GetProperty("seconds").GetDouble(), 6);
        var explain = r.GetProperty("explainMs");
        Assert.Equal(3, explain.GetProperty("rounds").GetArrayLength());
        Assert.True(explain.GetProperty("min").GetDouble() > 0);
        Assert.True(explain.GetProperty("median").GetDouble() >= explain.GetProperty("min").GetDouble());
        foreach (var stage in new[] { "prepare", "frontEnd", "classifier", "interpreter", "evidence", "assemble" })
            Assert.True(r.GetProperty("stagesMs").GetProperty(stage).GetProperty("min").GetDouble() >= 0, stage);
        var graphs = r.GetProperty("graphRunsMs");
        double parts = graphs.GetProperty("classifier").GetProperty("rounds")[0].GetDouble() + graphs.GetProperty("interpreter").GetProperty("rounds")[0].GetDouble()
                       + graphs.GetProperty("evidence").GetProperty("rounds")[0].GetDouble();
        Assert.Equal(graphs.GetProperty("total").GetProperty("rounds")[0].GetDouble(), parts, 2);
        double ratio = r.GetProperty("explainOverGraphRuns").GetProperty("rounds")[0].GetDouble();
        Assert.Equal(explain.GetProperty("rounds")[0].GetDouble() / graphs.GetProperty("total").GetProperty("rounds")[0].GetDouble(), ratio, 2);
        Assert.True(r.GetProperty("realTimeFactor").GetDouble() > 0);
    }

    [Fact]
    public void Without_graph_runs_there_is_no_ratio_and_a_longer_clip_has_more_windows()
    {
        using var dir = new TempDir();
        var json = dir.File("bench.json");
        var (code, output, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, "--device", "cpu", "--threads", "1",
            "--rounds", "1", "--seconds", "12", "--no-graph-runs", "--json", json);

        Assert.True(code == 0, error);
        Assert.DoesNotContain("graph runs alone", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var r = doc.RootElement;
        Assert.False(r.TryGetProperty("graphRunsMs", out _));
        Assert.False(r.TryGetProperty("explainOverGraphRuns", out _));
        Assert.Equal(12.0, r.GetProperty("input").GetProperty("seconds").GetDouble(), 6);
        Assert.True(r.GetProperty("input").GetProperty("windows").GetInt32() > 2);
    }

    [Fact]
    public void Cuda_required_on_a_machine_without_it_fails_naming_why_and_auto_falls_back_to_the_cpu()
    {
        // The test project references ONNX Runtime's CPU package: no CUDA provider, whatever the machine.
        var (code, output, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, "--device", "cuda", "--rounds", "1");
        Assert.Equal(2, code);
        Assert.Contains("CUDA was required but is not available", error, StringComparison.Ordinal);
        Assert.Equal("", output);

        using var dir = new TempDir();
        var json = dir.File("bench.json");
        (code, output, error) = CliRunner.Run("bench", "--model", TestData.TinyPackage, "--device", "auto", "--threads", "1", "--rounds", "1", "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("on cpu (CUDA unavailable, using the CPU", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var device = doc.RootElement.GetProperty("device");
        Assert.Equal("auto", device.GetProperty("requested").GetString());
        Assert.Equal("cpu", device.GetProperty("name").GetString());
        Assert.Contains("CUDA", device.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_run_says_so_and_writes_nothing()
    {
        using var dir = new TempDir();
        var json = dir.File("bench.json");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = BenchCommand.Execute(new BenchSettings(TestData.TinyPackage, Rounds: 2, Threads: 1, Json: json), output, error, cancelled.Token);
        Assert.Equal(BenchCommand.Interrupted, code);
        Assert.Contains("interrupted", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Cpuinfo_gives_model_vendor_family_physical_cores_and_flags()
    {
        const string x86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC 9B45\n" +
                           "physical id\t: 0\ncore id\t\t: 0\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_vnni avx512_bf16\n\n" +
                           "processor\t: 1\nvendor_id\t: AuthenticAMD\nphysical id\t: 0\ncore id\t\t: 0\n\n" +
                           "processor\t: 2\nphysical id\t: 0\ncore id\t\t: 1\n";
        var cpu = CpuDescription.Parse(x86, "X64", 3, "Linux");
        Assert.Equal("AMD EPYC 9B45", cpu.Model);
        Assert.Equal("AuthenticAMD", cpu.Vendor);
        Assert.Equal(26, cpu.Family);
        Assert.Equal(2, cpu.ModelNumber);
        Assert.Equal(2, cpu.PhysicalCores);
        Assert.Equal(["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16"], cpu.SimdFlagsPresent);
        Assert.Contains("AMD EPYC 9B45 (AuthenticAMD family 26 model 2), X64, 3 logical core(s), 2 physical", cpu.Summary, StringComparison.Ordinal);

        var arm = CpuDescription.Parse("processor\t: 0\nFeatures\t: fp asimd asimddp i8mm\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n", "Arm64", 1, "Linux");
        Assert.Equal("ARM implementer 0x41 part 0xd0c", arm.Model);
        Assert.Equal(["asimd", "asimddp", "i8mm"], arm.SimdFlagsPresent);
        Assert.Null(arm.Family);

        var none = CpuDescription.Parse("", "X64", 8, "Microsoft Windows 10.0");
        Assert.Equal("Microsoft Windows 10.0", none.Model);
        Assert.Empty(none.Flags);
        Assert.Null(none.PhysicalCores);
    }
}

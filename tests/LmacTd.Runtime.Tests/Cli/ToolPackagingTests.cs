using LmacTd.Cli;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Inference;

namespace LmacTd.Runtime.Tests.Cli;

// What the dotnet tool relies on: its bundled model found beside the executable from any folder, and the command
// line's own CUDA hint on top of the library's messages.
public class ToolPackagingTests
{
    [Fact]
    public void The_model_beside_the_executable_is_found_from_an_unrelated_folder()
    {
        using var tool = new TempDir();
        using var elsewhere = new TempDir();
        var bundled = Path.Combine(tool.Path, "tools", "net10.0", "any", "models", "default");
        Directory.CreateDirectory(bundled);
        File.Copy(Path.Combine(TestData.TinyPackage, "manifest.json"), Path.Combine(bundled, "manifest.json"));

        var found = ModelLocator.FindDefault(elsewhere.Path, Path.Combine(tool.Path, "tools", "net10.0", "any"));

        Assert.Equal(bundled, found);
    }

    [Fact]
    public void A_folder_in_a_checkout_takes_the_checkouts_model_first()
    {
        using var tool = new TempDir();
        Directory.CreateDirectory(Path.Combine(tool.Path, "models", "default"));
        File.Copy(Path.Combine(TestData.TinyPackage, "manifest.json"), Path.Combine(tool.Path, "models", "default", "manifest.json"));

        var found = ModelLocator.FindDefault(Path.Combine(TestData.RepoRoot, "src"), tool.Path);

        Assert.Equal(Path.Combine(TestData.RepoRoot, "models", "default"), found);
    }

    [Fact]
    public void A_cpu_build_adds_its_build_switch_to_a_cuda_error_only()
    {
        Assert.True(DeviceHint.IsCpuBuild);
        Assert.Contains("-p:OnnxRuntimeGpu=true", DeviceHint.Error(new InferenceException("CUDA was required but is not available: x")), StringComparison.Ordinal);
        Assert.DoesNotContain("-p:", DeviceHint.Error(new InferenceException($"the native ONNX Runtime library could not be loaded ({SessionFactory.NativePackageAdvice})")), StringComparison.Ordinal);
        Assert.DoesNotContain("-p:", DeviceHint.Describe(new DeviceSelection(ExecutionDevice.Cpu, ExecutionDevice.Cpu, "the CPU was requested")), StringComparison.Ordinal);
        Assert.Contains("-p:OnnxRuntimeGpu=true", DeviceHint.Describe(new DeviceSelection(ExecutionDevice.Auto, ExecutionDevice.Cpu, "CUDA unavailable")), StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_cuda_on_the_command_line_gives_the_build_switch()
    {
        using var dir = new TempDir();
        var input = dir.File("a.wav");
        WavWriter.Write(input, TestData.Sine(8000, 16000, 300), 16000);
        var (code, _, error) = CliRunner.Run("explain", input, "--model", TestData.TinyPackage, "--device", "cuda");
        Assert.Equal(2, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", line, StringComparison.Ordinal);
        Assert.Contains("-p:OnnxRuntimeGpu=true", line, StringComparison.Ordinal);
    }
}

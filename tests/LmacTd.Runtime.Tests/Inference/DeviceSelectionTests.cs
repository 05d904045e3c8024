using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Inference;

// These run with the CPU native package (as the tests reference it), so CUDA is never available here.
public class DeviceSelectionTests
{
    [Fact]
    public void Cpu_requested_runs_on_the_cpu()
    {
        var f = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Cpu });
        Assert.Equal(ExecutionDevice.Cpu, f.Selection.Device);
        Assert.Contains("requested", f.Selection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_and_says_why()
    {
        using var explainer = new Explainer(ModelPackage.Load(TestData.TinyPackage), new ExplainerOptions
        {
            Inference = new InferenceOptions { Device = ExecutionDevice.Auto, IntraOpThreads = 1 },
        });
        Assert.Equal(ExecutionDevice.Auto, explainer.Device.Requested);
        Assert.Equal(ExecutionDevice.Cpu, explainer.Device.Device);
        Assert.Contains("CUDA", explainer.Device.Reason, StringComparison.Ordinal);
        Assert.Equal("cpu", explainer.Device.Name);
    }

    [Fact]
    public void Strict_cuda_without_a_gpu_build_is_a_clear_error()
    {
        var e = Assert.Throws<InferenceException>(() => new Explainer(ModelPackage.Load(TestData.TinyPackage), new ExplainerOptions
        {
            Inference = new InferenceOptions { Device = ExecutionDevice.Cuda },
        }));
        Assert.StartsWith("CUDA was required but is not available", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_validate_themselves()
    {
        Assert.Throws<ArgumentException>(() => new InferenceOptions { IntraOpThreads = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new InferenceOptions { CudaDeviceId = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new ExplainerOptions { TopK = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new ExplainerOptions { WindowOverlap = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new ExplainerOptions { MaxBatchSize = 0 }.Validate());
    }

    [Theory]
    [InlineData("None")]
    [InlineData("Basic")]
    [InlineData("Extended")]
    public void Every_optimisation_level_gives_the_same_prediction(string levelName)
    {
        // By name: the enum is internal, and a public test method cannot take it.
        var level = Enum.Parse<GraphOptimization>(levelName);
        var package = ModelPackage.Load(TestData.TinyPackage);
        var x = TestData.Noise(16000, 8);
        using var reference = new Explainer(package, TestData.Options(InterpreterKind.LmacStft, evidence: false));
        using var other = new Explainer(package, new ExplainerOptions
        {
            Interpreter = InterpreterKind.LmacStft,
            ComputeEvidence = false,
            Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1, Optimization = level },
        });
        var a = reference.Explain(x, 16000);
        var b = other.Explain(x, 16000);
        Assert.True(TestData.MaxAbsDiff(a.Windows[0].Logits, b.Windows[0].Logits) < 1e-4f);
    }
}

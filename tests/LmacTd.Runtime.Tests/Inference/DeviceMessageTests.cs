using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Inference;

// The library's device messages speak of NuGet packages, never of the command line's build switch. These run with
// the CPU native package, so CUDA is never available here.
public class DeviceMessageTests
{
    [Fact]
    public void Auto_fallback_names_the_gpu_package_not_a_build_switch()
    {
        var f = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Auto });
        Assert.Equal(ExecutionDevice.Cpu, f.Selection.Device);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", f.Selection.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("-p:", f.Selection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_cuda_names_the_gpu_package_not_a_build_switch()
    {
        var e = Assert.Throws<InferenceException>(() => new Explainer(ModelPackage.Load(TestData.TinyPackage), new ExplainerOptions
        {
            Inference = new InferenceOptions { Device = ExecutionDevice.Cuda },
        }));
        Assert.Contains("no CUDA execution provider", e.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-p:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_missing_native_library_advice_names_both_native_packages()
    {
        // The failure itself needs a process without a native ONNX Runtime (tests/consumer/run.sh makes one).
        Assert.Contains("Microsoft.ML.OnnxRuntime (CPU)", SessionFactory.NativePackageAdvice, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu (CUDA)", SessionFactory.NativePackageAdvice, StringComparison.Ordinal);
    }
}

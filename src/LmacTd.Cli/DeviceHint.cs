using LmacTd.Runtime.Inference;

namespace LmacTd.Cli;

/// <summary>
/// The command line's own advice on CUDA. The library speaks of NuGet packages; lmactd is built from source with a
/// build switch instead, which only the command line knows about.
/// </summary>
internal static class DeviceHint
{
    /// <summary>How to get a CUDA-capable lmactd.</summary>
    public const string GpuBuild = "lmactd: a CPU build; for CUDA build lmactd from source with -p:OnnxRuntimeGpu=true";

    /// <summary>True for the CPU build of lmactd (the dotnet tool and a plain build).</summary>
    public static bool IsCpuBuild =>
#if ONNXRUNTIME_GPU
        false;
#else
        true;
#endif

    /// <summary>The device as the first output line states it, with <see cref="GpuBuild"/> when CUDA was wanted but this is the CPU build.</summary>
    public static string Describe(DeviceSelection device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return IsCpuBuild && device.Requested != ExecutionDevice.Cpu && device.Device == ExecutionDevice.Cpu
            ? $"{device} [{GpuBuild}]"
            : device.ToString();
    }

    /// <summary>An error line for <paramref name="e"/>, with <see cref="GpuBuild"/> when CUDA was required of the CPU build.</summary>
    public static string Error(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Only the CPU build asked for CUDA: a missing native library is not cured by the GPU build.
        return IsCpuBuild && e is InferenceException && e.Message.StartsWith("CUDA was required", StringComparison.Ordinal)
            ? $"error: {e.Message} [{GpuBuild}]"
            : $"error: {e.Message}";
    }
}

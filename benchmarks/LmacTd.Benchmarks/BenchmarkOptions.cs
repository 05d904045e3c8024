using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;

namespace LmacTd.Benchmarks;

/// <summary>
/// The options every benchmark uses: the library's defaults, with the thread count from <c>LMACTD_THREADS</c> and the
/// device from <c>LMACTD_DEVICE</c> (<c>cpu</c>, <c>cuda</c> or <c>auto</c>) when set.
/// </summary>
public static class BenchmarkOptions
{
    /// <summary>Intra-op threads from <c>LMACTD_THREADS</c>; 0 (ONNX Runtime's choice) when unset.</summary>
    public static int Threads => int.TryParse(Environment.GetEnvironmentVariable("LMACTD_THREADS"), out var n) && n > 0 ? n : 0;

    /// <summary>The device from <c>LMACTD_DEVICE</c>; the library's default (auto: CUDA if it can, else the CPU) when unset.</summary>
    public static ExecutionDevice Device => ParseDevice(Environment.GetEnvironmentVariable("LMACTD_DEVICE")) ?? ExplainerOptions.Default.Inference.Device;

    /// <summary>The library's default inference options with <see cref="Threads"/> and <see cref="Device"/>.</summary>
    public static InferenceOptions Inference() => new()
    {
        Device = Device,
        Optimization = ExplainerOptions.Default.Inference.Optimization,
        IntraOpThreads = Threads,
    };

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>auto</c> (any case); null for null or empty; anything else is an error naming it.</summary>
    public static ExecutionDevice? ParseDevice(string? value) => string.IsNullOrEmpty(value)
        ? null
        : Enum.TryParse<ExecutionDevice>(value, ignoreCase: true, out var d) && Enum.IsDefined(d) && !int.TryParse(value, out _)
            ? d
            : throw new ArgumentException($"device must be cpu, cuda or auto, got '{value}'");
}

using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;

namespace LmacTd.Benchmarks;

/// <summary>The options every benchmark uses: the library's defaults, with the thread count from <c>LMACTD_THREADS</c> when set.</summary>
public static class BenchmarkOptions
{
    /// <summary>Intra-op threads from <c>LMACTD_THREADS</c>; 0 (ONNX Runtime's choice) when unset.</summary>
    public static int Threads => int.TryParse(Environment.GetEnvironmentVariable("LMACTD_THREADS"), out var n) && n > 0 ? n : 0;

    /// <summary>The library's default inference options with <see cref="Threads"/>.</summary>
    public static InferenceOptions Inference() => new()
    {
        Device = ExplainerOptions.Default.Inference.Device,
        Optimization = ExplainerOptions.Default.Inference.Optimization,
        IntraOpThreads = Threads,
    };
}

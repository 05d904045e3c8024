namespace LmacTd.Runtime.Inference;

/// <summary>How graphs are run: device, threads, spinning and the optimised-graph cache. <see cref="Default"/> suits most uses.</summary>
public sealed class InferenceOptions
{
    /// <summary>Auto device, ONNX Runtime's own thread count, full graph optimisation, no cache.</summary>
    public static InferenceOptions Default { get; } = new();

    /// <summary>Where the graphs run; <see cref="ExecutionDevice.Auto"/> by default.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Auto;

    /// <summary>The CUDA device ordinal when a GPU is used.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Threads one graph run may use on the CPU; 0 (the default) lets ONNX Runtime choose, one per physical core.
    /// Measured on the 2-core AMD EPYC Zen 5 (default package, the three graph runs of one Explain, 15 alternating
    /// rounds, load average 27-31): 2 threads 94 ms median (41 best) against 153 (67) with 1; ONNX Runtime's choice is
    /// 2 there (benchmarks/RESULTS.md, "Settings per machine"). <c>lmactd bench --threads N</c> measures another count.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while they wait for work (ONNX Runtime's own default is true).
    /// False by default here: on two cores, spinning threads competed with the threads doing the work, and with the
    /// explainer's own signal processing between runs; turning it off made the default package's
    /// <c>Explain</c> about 1.4x faster and its bare graph runs 1.5x faster, and left full size unchanged within
    /// noise (benchmarks/RESULTS.md). Measured again on the 2-core AMD EPYC Zen 5 (AVX-512), default package, 15
    /// alternating rounds at load average 27-31: the graph runs 357 ms median spinning against 94 not, Explain 635
    /// against 312; a machine shared with other work loses most to spinning. Set true where many cores idle between
    /// many short runs.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Graph optimisation level; <see cref="GraphOptimization.All"/> by default (lower only to study the graphs).</summary>
    internal GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>
    /// A folder where each graph is kept after ONNX Runtime has optimised it, so that later explainers on this
    /// machine open it without optimising again (a large saving for full-size graphs). Entries are keyed by the
    /// graph's sha256 from the manifest, the device, the optimisation level and the ONNX Runtime version; a damaged
    /// entry is rebuilt. Null (the default) optimises on every open and writes nothing.
    /// </summary>
    public string? OptimizedModelCacheDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for values that cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Device)) throw new ArgumentException($"unknown device {Device}");
        if (!Enum.IsDefined(Optimization)) throw new ArgumentException($"unknown optimisation level {Optimization}");
        if (CudaDeviceId < 0) throw new ArgumentException($"CudaDeviceId must be >= 0, got {CudaDeviceId}");
        if (IntraOpThreads < 0) throw new ArgumentException($"IntraOpThreads must be >= 0, got {IntraOpThreads}");
        if (OptimizedModelCacheDirectory is { } dir && string.IsNullOrWhiteSpace(dir))
            throw new ArgumentException("OptimizedModelCacheDirectory must be a folder path or null");
    }
}

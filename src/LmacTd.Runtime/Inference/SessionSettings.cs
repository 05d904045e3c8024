using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Runtime.Inference;

/// <summary>
/// The ONNX Runtime session settings every graph of an explainer is opened with, in one place, so that what runs and
/// what <c>lmactd bench</c> reports cannot drift apart.
/// </summary>
/// <param name="Device">The device the sessions run on.</param>
/// <param name="IntraOpThreads">Threads per graph run; 0: ONNX Runtime's choice, one per physical core.</param>
/// <param name="AllowSpinning">Whether idle worker threads spin (<see cref="InferenceOptions.AllowSpinning"/>).</param>
/// <param name="CpuMemoryArena">ONNX Runtime's CPU memory arena: memory kept for the next run (<see cref="UseCpuMemoryArena"/>).</param>
/// <param name="MemoryPattern">ONNX Runtime's memory pattern: buffers planned from the first run's shapes; goes with the arena.</param>
/// <param name="Optimization">Graph optimisation level.</param>
internal sealed record SessionSettings(ExecutionDevice Device, int IntraOpThreads, bool AllowSpinning, bool CpuMemoryArena, bool MemoryPattern,
    GraphOptimization Optimization)
{
    /// <summary>
    /// The CPU memory arena and memory pattern stay on (ONNX Runtime's defaults). Measured on the 2-core AMD EPYC Zen 5
    /// (AVX-512), default package, the three graph runs of one Explain, 15 alternating rounds at load average 27-31:
    /// without them 403 ms median (122 ms best) against 94 (41) with them: each run then asks the system for its
    /// buffers again (benchmarks/RESULTS.md, "Settings per machine").
    /// </summary>
    public const bool UseCpuMemoryArena = true;

    /// <summary>The settings <paramref name="options"/> ask for on <paramref name="device"/>.</summary>
    public static SessionSettings For(InferenceOptions options, ExecutionDevice device)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(device, options.IntraOpThreads, options.AllowSpinning, UseCpuMemoryArena, UseCpuMemoryArena, options.Optimization);
    }

    /// <summary>Sessions run their nodes one after the other; the cores go to each node's own threads.</summary>
    public static string ExecutionMode => "sequential";

    /// <summary>New ONNX Runtime options with these settings (the caller disposes them).</summary>
    public SessionOptions Create(int cudaDeviceId)
    {
        var options = new SessionOptions();
        try
        {
            options.GraphOptimizationLevel = Optimization switch
            {
                GraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            options.ExecutionMode = Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL;
            if (IntraOpThreads > 0) options.IntraOpNumThreads = IntraOpThreads;
            if (!AllowSpinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            options.EnableCpuMemArena = CpuMemoryArena;
            options.EnableMemoryPattern = MemoryPattern;
            if (Device == ExecutionDevice.Cuda) options.AppendExecutionProvider_CUDA(cudaDeviceId);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>The settings by name, as <c>lmactd bench</c> prints them.</summary>
    public IReadOnlyList<(string Name, string Value)> Describe() =>
    [
        ("device", Device.ToString().ToLowerInvariant()),
        ("intraOpThreads", IntraOpThreads > 0 ? IntraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0 (ONNX Runtime's choice: one per physical core)"),
        ("allowSpinning", AllowSpinning ? "on" : "off"),
        ("cpuMemoryArena", CpuMemoryArena ? "on" : "off"),
        ("memoryPattern", MemoryPattern ? "on" : "off"),
        ("optimization", Optimization.ToString().ToLowerInvariant()),
        ("executionMode", ExecutionMode),
    ];
}

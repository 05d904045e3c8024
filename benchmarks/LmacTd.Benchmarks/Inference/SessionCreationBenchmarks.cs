using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Benchmarks.Inference;

/// <summary>
/// Opening one graph: cold, the way the explainer does it (load, optimise, check against the manifest), and from ONNX
/// Runtime's optimised-model cache (the graph optimised once and saved, then loaded with optimisation off).
/// <see cref="InferenceOptions"/> has no cache option, so the cached path uses ONNX Runtime's API directly.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class SessionCreationBenchmarks
{
    private GraphFixture _f = null!;
    private GraphSpec _spec = null!;
    private string _cached = "";

    /// <summary>The package.</summary>
    [ParamsSource(nameof(Packages))]
    public string Package { get; set; } = BenchmarkPackages.Default;

    /// <summary>The graph.</summary>
    [Params("classifier", "lmac-td", "lmac-stft")]
    public string Graph { get; set; } = "classifier";

    /// <summary>The packages present.</summary>
    public static IEnumerable<string> Packages() => BenchmarkPackages.Available();

    /// <summary>Writes the optimised graph to the cache folder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _f = new GraphFixture(Package);
        var m = _f.Manifest;
        _spec = Graph switch
        {
            "classifier" => m.Classifier,
            "lmac-td" => m.Interpreter<LmacTdSpec>()?.Graph,
            _ => m.Interpreter<LmacStftSpec>()?.Graph,
        } ?? throw new InvalidOperationException($"package '{Package}' has no {Graph} graph");
        var dir = Path.Combine(BenchmarkPackages.ArtifactsDirectory, "ort-cache", Package);
        Directory.CreateDirectory(dir);
        _cached = Path.Combine(dir, Graph + ".optimised.onnx");
        using var options = Options(GraphOptimizationLevel.ORT_ENABLE_ALL);
        options.OptimizedModelFilePath = _cached;
        using var session = new InferenceSession(_f.Package.PathOf(_spec.File), options);
    }

    /// <summary>Nothing stays open between iterations.</summary>
    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    /// <summary>Load, optimise and check, as <c>Explainer</c> does.</summary>
    [Benchmark(Baseline = true)]
    public void Cold()
    {
        using var g = _f.Factory.Open(_f.Package.PathOf(_spec.File), _spec);
    }

    /// <summary>Load the cached optimised graph with optimisation off.</summary>
    [Benchmark]
    public void OptimisedCache()
    {
        using var options = Options(GraphOptimizationLevel.ORT_DISABLE_ALL);
        using var session = new InferenceSession(_cached, options);
    }

    private static SessionOptions Options(GraphOptimizationLevel level)
    {
        var o = new SessionOptions { GraphOptimizationLevel = level, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        if (BenchmarkOptions.Threads > 0) o.IntraOpNumThreads = BenchmarkOptions.Threads;
        return o;
    }
}

using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Inference;

namespace LmacTd.Benchmarks.Inference;

/// <summary>The classifier graph alone: batch 1 (the input) and batch 2 (explanation and masked-out, the evidence run).</summary>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(10)]
public class ClassifierRunBenchmarks
{
    private GraphFixture _f = null!;
    private OnnxGraph _g = null!;
    private float[] _logmel2 = [], _logits2 = [];

    /// <summary>The package.</summary>
    [ParamsSource(nameof(Packages))]
    public string Package { get; set; } = BenchmarkPackages.Default;

    /// <summary>The packages present.</summary>
    public static IEnumerable<string> Packages() => BenchmarkPackages.Available();

    /// <summary>Opens the classifier.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _f = new GraphFixture(Package);
        _g = _f.Open(_f.Manifest.Classifier);
        _logmel2 = [.. _f.LogMel, .. _f.LogMel];
        _logits2 = new float[2 * _f.Logits.Length];
    }

    /// <summary>Closes it.</summary>
    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    /// <summary>Logits and the four representations of one clip.</summary>
    [Benchmark(Baseline = true)]
    public float[] Classifier()
    {
        GraphFixture.RunClassifier(_g, _f.LogMel, 1, _f.Logits, _f.Reps);
        return _f.Logits;
    }

    /// <summary>Logits of two clips in one run (the explainer's evidence run).</summary>
    [Benchmark]
    public float[] ClassifierBatch2()
    {
        GraphFixture.RunClassifier(_g, _logmel2, 2, _logits2, null);
        return _logits2;
    }
}

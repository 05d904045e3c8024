using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks.Explaining;

/// <summary>End-to-end <see cref="Explainer.Explain(AudioClip)"/> of one 5 s clip at 16 kHz, evidence included.</summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class ExplainBenchmarks
{
    private Explainer _explainer = null!;
    private AudioClip _clip = null!;

    /// <summary>The package.</summary>
    [ParamsSource(nameof(Packages))]
    public string Package { get; set; } = BenchmarkPackages.Default;

    /// <summary>The interpreter.</summary>
    [Params("lmac-td", "lmac-stft")]
    public string Interpreter { get; set; } = "lmac-td";

    /// <summary>The packages present.</summary>
    public static IEnumerable<string> Packages() => BenchmarkPackages.Available();

    /// <summary>Opens the explainer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var package = BenchmarkPackages.Load(Package);
        var kind = Interpreter == "lmac-td" ? InterpreterKind.LmacTd : InterpreterKind.LmacStft;
        if (!package.Manifest.Has(kind)) throw new InvalidOperationException($"package '{Package}' has no {Interpreter} interpreter");
        _explainer = new Explainer(package, new ExplainerOptions { Interpreter = kind, Inference = BenchmarkOptions.Inference() });
        var m = package.Manifest;
        _clip = new AudioClip(TestSignals.Mixture(m.SampleRate, (double)m.ClipSamples / m.SampleRate), m.SampleRate);
    }

    /// <summary>Closes it.</summary>
    [GlobalCleanup]
    public void Cleanup() => _explainer.Dispose();

    /// <summary>One clip, explained.</summary>
    [Benchmark]
    public Explanation Explain() => _explainer.Explain(_clip);
}

using LmacTd.Runtime.Packages;
using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Inference;

namespace LmacTd.Benchmarks.Inference;

/// <summary>The LMAC-TD interpreter graph alone (classifier-side decoder, encoder, MaskNet, decoder) on one clip.</summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class LmacTdRunBenchmarks
{
    private GraphFixture _f = null!;
    private OnnxGraph _g = null!;
    private TensorBuffer[] _in = [], _out = [];
    private float[] _explanation = [];

    /// <summary>The package.</summary>
    [ParamsSource(nameof(Packages))]
    public string Package { get; set; } = BenchmarkPackages.Default;

    /// <summary>The packages present with an LMAC-TD interpreter.</summary>
    public static IEnumerable<string> Packages() =>
        BenchmarkPackages.Available().Where(r => BenchmarkPackages.Load(r).Manifest.Interpreter<LmacTdSpec>() is not null);

    /// <summary>Computes the representations, then opens the interpreter.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _f = new GraphFixture(Package);
        _f.ComputeReps();
        var spec = _f.Manifest.Interpreter<LmacTdSpec>()!.Graph;
        _g = _f.Open(spec);
        _in = [GraphFixture.Buffer(spec.Input("waveform"), _f.Waveform, 1),
               .. GraphFixture.RepNames.Select((n, i) => GraphFixture.Buffer(spec.Input(n), _f.Reps[i], 1))];
        _explanation = new float[spec.Output("explanation").ItemElements];
        _out = [GraphFixture.Buffer(spec.Output("explanation"), _explanation, 1),
                GraphFixture.Buffer(spec.Output("masked_out"), new float[spec.Output("masked_out").ItemElements], 1),
                GraphFixture.Buffer(spec.Output("mask"), new float[spec.Output("mask").ItemElements], 1)];
    }

    /// <summary>Closes it.</summary>
    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    /// <summary>One interpreter run.</summary>
    [Benchmark]
    public float[] LmacTd()
    {
        _g.Run(["waveform", .. GraphFixture.RepNames], _in, ["explanation", "masked_out", "mask"], _out);
        return _explanation;
    }
}

using LmacTd.Runtime.Packages;
using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;

namespace LmacTd.Benchmarks.Inference;

/// <summary>The L-MAC interpreter: the psi graph alone, the STFT masking and inverse STFT alone, and both.</summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class LmacStftRunBenchmarks
{
    private GraphFixture _f = null!;
    private OnnxGraph _g = null!;
    private LmacTd.Runtime.Interpreters.LmacStftReconstruction _recon = null!;
    private TensorBuffer[] _in = [], _out = [];
    private float[] _mask = [], _explanation = [], _maskedOut = [], _inMag = [], _outMag = [];

    /// <summary>The package.</summary>
    [ParamsSource(nameof(Packages))]
    public string Package { get; set; } = BenchmarkPackages.Default;

    /// <summary>The packages present with an L-MAC interpreter.</summary>
    public static IEnumerable<string> Packages() =>
        BenchmarkPackages.Available().Where(r => BenchmarkPackages.Load(r).Manifest.Interpreter<LmacStftSpec>() is not null);

    /// <summary>Computes the representations, then opens the interpreter.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _f = new GraphFixture(Package);
        _f.ComputeReps();
        var st = _f.Manifest.Interpreter<LmacStftSpec>()!;
        _g = _f.Open(st.Graph);
        _in = [.. GraphFixture.RepNames.Select((n, i) => GraphFixture.Buffer(st.Graph.Input(n), _f.Reps[i], 1))];
        _mask = new float[st.Graph.Output("mask").ItemElements];
        _out = [GraphFixture.Buffer(st.Graph.Output("mask"), _mask, 1)];
        int L = _f.Manifest.ClipSamples;
        _recon = new LmacTd.Runtime.Interpreters.LmacStftReconstruction(st, L);
        _explanation = new float[L];
        _maskedOut = new float[L];
        _inMag = new float[_recon.Frames * st.Stft.Bins];
        _outMag = new float[_recon.Frames * st.Stft.Bins];
        _g.Run(GraphFixture.RepNames, _in, ["mask"], _out);
    }

    /// <summary>Closes it.</summary>
    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    /// <summary>The psi graph: the mask.</summary>
    [Benchmark]
    public float[] Psi()
    {
        _g.Run(GraphFixture.RepNames, _in, ["mask"], _out);
        return _mask;
    }

    /// <summary>STFT, masking and two inverse STFTs (explanation and masked-out), with the masked magnitudes kept.</summary>
    [Benchmark]
    public float[] InverseStft()
    {
        _recon.Process(_f.Waveform, _mask, _explanation, _maskedOut, _inMag, _outMag);
        return _explanation;
    }

    /// <summary>Both: the L-MAC interpreter stage of the explainer.</summary>
    [Benchmark(Baseline = true)]
    public float[] PsiAndInverseStft()
    {
        _g.Run(GraphFixture.RepNames, _in, ["mask"], _out);
        _recon.Process(_f.Waveform, _mask, _explanation, _maskedOut, _inMag, _outMag);
        return _explanation;
    }
}

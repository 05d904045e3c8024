using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Features;

namespace LmacTd.Benchmarks.Features;

/// <summary>The log-mel front end on one 5 s clip, into a caller buffer.</summary>
[MemoryDiagnoser]
public class LogMelBenchmarks
{
    private LogMelExtractor _extractor = null!;
    private float[] _clip = [];
    private float[] _logmel = [];

    /// <summary>The package whose front end settings are used.</summary>
    [ParamsSource(nameof(Packages))]
    public string Package { get; set; } = BenchmarkPackages.Default;

    /// <summary>The packages present.</summary>
    public static IEnumerable<string> Packages() => BenchmarkPackages.Available();

    /// <summary>Builds the extractor and the clip.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var m = BenchmarkPackages.Load(Package).Manifest;
        _extractor = new LogMelExtractor(m.FrontEnd);
        _clip = TestSignals.Mixture(m.SampleRate, (double)m.ClipSamples / m.SampleRate);
        _logmel = new float[m.FrontEnd.Frames * m.FrontEnd.NMels];
    }

    /// <summary>One clip's log-mel.</summary>
    [Benchmark]
    public float[] LogMel()
    {
        _extractor.Process(_clip, _logmel);
        return _logmel;
    }
}

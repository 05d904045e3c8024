using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks.Metrics;

/// <summary>
/// The faithfulness metrics of one clip: AI, AD, AG, FF, Fid-In from three probability vectors and SPS, COMP of the
/// map, plus the LMAC-TD map itself (<c>log1p |STFT(explanation)|</c>, contract step 8). Sizes of the default front end
/// (n_fft 1024, 431 x 513 map) and 50 classes.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private const int Classes = 50;
    private const int ClipSamples = 80000;
    private readonly StftSettings _settings = new(1024, 372, 186, 1e-14);
    private float[] _p = [], _q = [], _r = [], _map = [], _explanation = [];
    private Stft _stft = null!;

    /// <summary>Builds the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _p = Probabilities(rng);
        _q = Probabilities(rng);
        _r = Probabilities(rng);
        _explanation = TestSignals.Mixture(16000, 5.0);
        _stft = new Stft(_settings);
        _map = new float[_stft.FrameCount(ClipSamples) * _settings.Bins];
        LmacTdMap();
    }

    /// <summary>All seven metrics of one clip.</summary>
    [Benchmark(Baseline = true)]
    public FaithfulnessMetrics Metrics() => Faithfulness.Compute(_p, _q, _r, _map);

    /// <summary>The LMAC-TD map as the explainer computes it.</summary>
    [Benchmark]
    public float[] LmacTdMap()
    {
        int frames = _stft.FrameCount(ClipSamples), bins = _settings.Bins;
        for (int t = 0; t < frames; t++)
        {
            var row = _map.AsSpan(t * bins, bins);
            _stft.ProcessFrameMagnitude(_explanation, t, row);
            for (int k = 0; k < bins; k++) row[k] = (float)Math.Log(1 + (double)row[k]);
        }

        return _map;
    }

    private static float[] Probabilities(Random rng)
    {
        var p = new float[Classes];
        double sum = 0;
        for (int i = 0; i < Classes; i++) sum += p[i] = (float)Math.Exp(3 * rng.NextDouble());
        for (int i = 0; i < Classes; i++) p[i] = (float)(p[i] / sum);
        return p;
    }
}

using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Features;
using RealFft64 = NWaves.Transforms.RealFft64;

namespace LmacTd.Benchmarks.Features;

/// <summary>
/// The front end's FFTs for one 5 s clip (431 frames of 1024 points): NWaves' scalar <c>RealFft64</c>, one frame at a
/// time (what the STFT ran before), against <see cref="LaneFft"/>, <see cref="LaneFft.Lanes"/> frames at once; and the
/// STFT magnitudes and the parallel log-mel of the pool as the explainer runs them. Side by side on any CPU.
/// </summary>
[MemoryDiagnoser]
public class FftBenchmarks
{
    private const int Size = 1024;
    private const int Frames = 431;
    private readonly RealFft64 _nwaves = new(Size);
    private readonly LaneFft _lanes = new(Size);
    private readonly double[] _frame = new double[Size];
    private readonly double[] _re = new double[(Size / 2) + 1];
    private readonly double[] _im = new double[(Size / 2) + 1];
    private readonly float[] _magnitudes = new float[Frames * ((Size / 2) + 1)];
    private Stft _stft = null!;
    private LogMelPool _pool = null!;
    private float[] _clip = [];
    private float[] _logmel = [];

    /// <summary>A random frame and a 5 s clip with the default package's front end.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (int i = 0; i < Size; i++) _frame[i] = (rng.NextDouble() * 2) - 1;
        var m = BenchmarkPackages.Load(BenchmarkPackages.Default).Manifest;
        _stft = new Stft(m.FrontEnd.Stft);
        _pool = new LogMelPool(m.FrontEnd, MelFilterbank.For(m.FrontEnd));
        _clip = TestSignals.Mixture(m.SampleRate, (double)m.ClipSamples / m.SampleRate);
        _logmel = new float[m.FrontEnd.Frames * m.FrontEnd.NMels];
    }

    /// <summary>431 frames through NWaves' real FFT, one at a time.</summary>
    [Benchmark(Baseline = true)]
    public double NWavesRealFft64()
    {
        for (int t = 0; t < Frames; t++) _nwaves.Direct(_frame, _re, _im);
        return _re[1];
    }

    /// <summary>431 frames through <see cref="LaneFft"/>, a lane-full at a time (load, transform, magnitudes).</summary>
    [Benchmark]
    public float LaneFftFrames()
    {
        int bins = _lanes.Bins;
        for (int t = 0; t < Frames; t += LaneFft.Lanes)
        {
            int n = Math.Min(LaneFft.Lanes, Frames - t);
            _lanes.Clear();
            for (int l = 0; l < n; l++) _lanes.Load(l, 0, _frame);
            _lanes.Transform();
            _lanes.Magnitudes(n, 1e-14, _magnitudes.AsSpan(t * bins, n * bins));
        }

        return _magnitudes[1];
    }

    /// <summary>The clip's STFT magnitudes (windowing included), as the LMAC-TD map takes them.</summary>
    [Benchmark]
    public float StftMagnitudes()
    {
        _stft.ProcessMagnitudes(_clip, 0, Frames, _magnitudes);
        return _magnitudes[1];
    }

    /// <summary>The clip's log-mel spread over the cores, as the explainer's front end stage runs it.</summary>
    [Benchmark]
    public float PooledLogMel()
    {
        _pool.ProcessRows(_clip, _clip.Length, 1, _logmel);
        return _logmel[1];
    }
}

using BenchmarkDotNet.Attributes;
using LmacTd.Runtime.Audio;

namespace LmacTd.Benchmarks.Audio;

/// <summary>Decoding a 5 s 44.1 kHz stereo 16-bit WAV to mono, alone and with the resampling to 16 kHz the explainer does.</summary>
[MemoryDiagnoser]
public class DecodeResampleBenchmarks
{
    private const int FileRate = 44100;
    private const int ModelRate = 16000;
    private string _dir = "";
    private string _path = "";

    /// <summary>Writes the WAV into a temporary folder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("lmactd-bench-").FullName;
        _path = Path.Combine(_dir, "stereo-44k1.wav");
        var left = TestSignals.Mixture(FileRate, 5.0, seed: 1);
        var right = TestSignals.Mixture(FileRate, 5.0, seed: 2);
        File.WriteAllBytes(_path, TestSignals.StereoWav(left, right, FileRate));
    }

    /// <summary>Removes the temporary folder.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>Decode and downmix only.</summary>
    [Benchmark]
    public AudioClip Decode() => AudioDecoder.Load(_path);

    /// <summary>Decode, downmix and resample to the model's rate (a new resampler each time, as the explainer makes one per clip).</summary>
    [Benchmark(Baseline = true)]
    public float[] DecodeAndResample()
    {
        var clip = AudioDecoder.Load(_path);
        return new Resampler(clip.SampleRate, ModelRate).Process(clip.Samples);
    }
}

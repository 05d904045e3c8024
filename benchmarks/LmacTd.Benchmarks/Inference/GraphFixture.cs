using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks.Inference;

/// <summary>
/// One package's graphs opened exactly as <see cref="Explainer"/> opens them (same <see cref="SessionFactory"/>, same
/// options), with the inputs of one normalised 5 s clip and output buffers allocated once. Open only the graphs a
/// benchmark needs: the full-size ones take gigabytes each.
/// </summary>
internal sealed class GraphFixture : IDisposable
{
    public static readonly string[] RepNames = ["rep6", "rep5", "rep4", "rep3"];
    private readonly List<OnnxGraph> _open = [];

    public GraphFixture(string role, InferenceOptions? inference = null)
    {
        Package = BenchmarkPackages.Load(role);
        Manifest = Package.Manifest;
        Factory = new SessionFactory(inference ?? BenchmarkOptions.Inference());
        int L = Manifest.ClipSamples;
        var raw = TestSignals.Mixture(Manifest.SampleRate, (double)L / Manifest.SampleRate);
        float div = SignedMaxNormalisation.TryDivisor(raw) ?? 1f;
        Waveform = raw.Select(x => x / div).ToArray();
        LogMel = new float[Manifest.FrontEnd.Frames * Manifest.FrontEnd.NMels];
        new LogMelExtractor(Manifest.FrontEnd).Process(Waveform, LogMel);
        Logits = new float[Manifest.Classifier.Output("logits").ItemElements];
        Reps = [.. RepNames.Select(n => new float[Manifest.Classifier.Output(n).ItemElements])];
    }

    public ModelPackage Package { get; }

    public PackageManifest Manifest { get; }

    public SessionFactory Factory { get; }

    public float[] Waveform { get; }

    public float[] LogMel { get; }

    public float[] Logits { get; }

    public float[][] Reps { get; }

    public OnnxGraph Open(GraphSpec spec)
    {
        var g = Factory.Open(Package.PathOf(spec.File), spec);
        _open.Add(g);
        return g;
    }

    /// <summary>Runs the classifier once on the clip to fill <see cref="Logits"/> and <see cref="Reps"/>, then closes it.</summary>
    public void ComputeReps()
    {
        using var g = Factory.Open(Package.PathOf(Manifest.Classifier.File), Manifest.Classifier);
        RunClassifier(g, LogMel, 1, Logits, Reps);
    }

    public static void RunClassifier(OnnxGraph g, float[] logmel, int batch, float[] logits, float[][]? reps)
    {
        string[] outNames = reps is null ? ["logits"] : ["logits", .. RepNames];
        float[][] outs = reps is null ? [logits] : [logits, .. reps];
        g.Run(["logmel"], [Buffer(g.Spec.Input("logmel"), logmel, batch)], outNames,
            [.. outNames.Select((n, i) => Buffer(g.Spec.Output(n), outs[i], batch))]);
    }

    public static TensorBuffer Buffer(TensorSpec spec, float[] data, int batch) =>
        new(data.AsMemory(0, (int)(batch * spec.ItemElements)), [batch, .. spec.Shape.Skip(1)]);

    public void Dispose()
    {
        foreach (var g in _open) g.Dispose();
        _open.Clear();
    }
}

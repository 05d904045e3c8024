using System.Diagnostics;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Benchmarks.Compare;

/// <summary>
/// One graph of a package in its own session at batch 1, inputs and outputs bound once over buffers: seeded inputs
/// (the same for every package, since they follow the manifest's shapes), optionally with ONNX Runtime's profiler on.
/// </summary>
internal sealed class GraphRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly List<OrtValue> _values = [];
    private readonly OrtValue[] _inputs, _outputs;
    private readonly string[] _inNames, _outNames;
    private readonly float[][] _outData;

    public GraphRun(ModelPackage package, GraphSpec spec, Func<SessionOptions> options, string? profile)
    {
        var file = package.Manifest.Classifier.File == spec.File ? package.Manifest.Classifier
            : package.Manifest.Interpreters.Values.Select(i => i.Graph).OfType<GraphSpec>().Single(g => g.File == spec.File);
        using (var o = options())
        {
            if (profile is not null)
            {
                o.ProfileOutputPathPrefix = profile;
                o.EnableProfiling = true;
            }

            _session = new InferenceSession(package.PathOf(file.File), o);
        }

        var rng = new Random(5);
        _inNames = [.. file.Inputs.Select(t => t.Name)];
        _outNames = [.. file.Outputs.Select(t => t.Name)];
        _inputs = [.. file.Inputs.Select(t =>
        {
            var data = new float[t.ItemElements];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() - 0.5);
            return Value(data, t);
        })];
        _outData = [.. file.Outputs.Select(t => new float[t.ItemElements])];
        _outputs = [.. file.Outputs.Select((t, i) => Value(_outData[i], t))];
    }

    /// <summary>One run; returns its milliseconds.</summary>
    public double Run()
    {
        var sw = Stopwatch.StartNew();
        _session.Run(_run, _inNames, _inputs, _outNames, _outputs);
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>Output <paramref name="index"/> of the last run.</summary>
    public float[] Output(int index) => _outData[index];

    /// <summary>Stops the profiler; returns the profile's path.</summary>
    public string EndProfiling() => _session.EndProfiling();

    public void Dispose()
    {
        foreach (var v in _values) v.Dispose();
        _run.Dispose();
        _session.Dispose();
    }

    private OrtValue Value(float[] data, TensorSpec spec)
    {
        var v = OrtValue.CreateTensorValueFromMemory(data, [1, .. spec.Shape.Skip(1)]);
        _values.Add(v);
        return v;
    }
}

using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Benchmarks.Compare;

/// <summary>
/// The graph runs of one <c>Explain</c> and nothing else, straight on ONNX Runtime: classifier on the clip, the
/// interpreter, classifier on explanation and masked-out (batch 2). Every input and output is an <c>OrtValue</c> over a
/// buffer allocated once, so a run is only the session runs: the floor the explainer's overhead is measured against.
/// </summary>
internal sealed class RawGraphSet : IDisposable
{
    private static readonly string[] RepNames = ["rep6", "rep5", "rep4", "rep3"];
    private readonly InferenceSession _classifier;
    private readonly InferenceSession _interpreter;
    private readonly List<OrtValue> _values = [];
    private readonly RunOptions _run = new();
    private readonly OrtValue[] _clsIn, _clsOut, _intIn, _intOut, _evIn, _evOut;
    private readonly string[] _intInNames, _intOutNames;
    private readonly float[] _logmel, _logmel2, _waveform, _explanation, _maskedOut;
    private readonly LogMelExtractor _extractor;

    public RawGraphSet(ModelPackage package, InterpreterKind kind, Func<SessionOptions> options)
    {
        var m = package.Manifest;
        using (var o = options()) _classifier = new InferenceSession(package.PathOf(m.Classifier.File), o);
        var spec = m.Interpreter(kind).Graph!;
        using (var o = options()) _interpreter = new InferenceSession(package.PathOf(spec.File), o);

        int L = m.ClipSamples, mel = m.FrontEnd.Frames * m.FrontEnd.NMels;
        _extractor = new LogMelExtractor(m.FrontEnd);
        _waveform = new float[L];
        _logmel = new float[mel];
        _logmel2 = new float[2 * mel];
        _explanation = new float[L];
        _maskedOut = new float[L];
        var reps = RepNames.Select(n => Value(m.Classifier.Output(n), 1, null)).ToArray();
        _clsIn = [Value(m.Classifier.Input("logmel"), 1, _logmel)];
        _clsOut = [Value(m.Classifier.Output("logits"), 1, null), .. reps];
        _evIn = [Value(m.Classifier.Input("logmel"), 2, _logmel2)];
        _evOut = [Value(m.Classifier.Output("logits"), 2, null)];
        if (kind == InterpreterKind.LmacTd)
        {
            _intInNames = ["waveform", .. RepNames];
            _intIn = [Value(spec.Input("waveform"), 1, _waveform), .. reps];
            _intOutNames = ["explanation", "masked_out", "mask"];
            _intOut = [Value(spec.Output("explanation"), 1, _explanation), Value(spec.Output("masked_out"), 1, _maskedOut), Value(spec.Output("mask"), 1, null)];
        }
        else
        {
            _intInNames = RepNames;
            _intIn = reps;
            _intOutNames = ["mask"];
            _intOut = [Value(spec.Output("mask"), 1, null)];
        }
    }

    /// <summary>Sets the clip (normalised, padded) and, from one run of the graphs, the evidence inputs.</summary>
    public void SetClip(ReadOnlySpan<float> normalisedPadded)
    {
        normalisedPadded.CopyTo(_waveform);
        _extractor.Process(_waveform, _logmel);
        Run();
        int mel = _logmel.Length;
        // L-MAC's masked signals need the inverse STFT, which is not a session run; the clip stands in for them.
        var e = _explanation.Any(x => x != 0) ? _explanation : _waveform;
        var o = _maskedOut.Any(x => x != 0) ? _maskedOut : _waveform;
        _extractor.Process(e, _logmel2.AsSpan(0, mel));
        _extractor.Process(o, _logmel2.AsSpan(mel, mel));
    }

    /// <summary>The three session runs; returns their times in milliseconds.</summary>
    public (double Classifier, double Interpreter, double Evidence) Run()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        _classifier.Run(_run, ["logmel"], _clsIn, ["logits", .. RepNames], _clsOut);
        double c = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        _interpreter.Run(_run, _intInNames, _intIn, _intOutNames, _intOut);
        double i = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        _classifier.Run(_run, ["logmel"], _evIn, ["logits"], _evOut);
        return (c, i, sw.Elapsed.TotalMilliseconds);
    }

    public void Dispose()
    {
        foreach (var v in _values) v.Dispose();
        _run.Dispose();
        _interpreter.Dispose();
        _classifier.Dispose();
    }

    private OrtValue Value(TensorSpec spec, int batch, float[]? data)
    {
        data ??= new float[batch * spec.ItemElements];
        var v = OrtValue.CreateTensorValueFromMemory(data, [batch, .. spec.Shape.Skip(1)]);
        _values.Add(v);
        return v;
    }
}

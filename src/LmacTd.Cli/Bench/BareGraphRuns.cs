using System.Diagnostics;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Bench;

/// <summary>
/// The graph runs one <c>Explain</c> makes, and nothing else: the classifier on the windows, the interpreter graph, the
/// classifier on explanations and masked-out signals, in the explainer's batches, on a second set of sessions opened
/// with the explainer's own settings and device. Buffers are allocated once; each run binds them as <c>Explain</c> does.
/// What <c>Explain</c> takes beyond these runs is the runtime's own work (front end, evidence, assembly).
/// </summary>
internal sealed class BareGraphRuns : IDisposable
{
    private readonly OnnxGraph _classifier;
    private readonly OnnxGraph? _interpreter;
    private readonly Dictionary<string, float[]> _classifierOut = [];
    private readonly float[] _logMel;
    private readonly float[] _logMel2;
    private readonly float[][] _interpreterIn;
    private readonly float[][] _interpreterOut;
    private readonly string[] _interpreterInNames;
    private readonly string[] _interpreterOutNames;
    private readonly int _maxBatch;

    /// <param name="package">The package.</param>
    /// <param name="interpreter">The interpreter <c>Explain</c> runs.</param>
    /// <param name="inference">The explainer's inference options, with the device it settled on.</param>
    /// <param name="window">One normalised window of the input at the model's rate (<c>clipSamples</c> samples).</param>
    /// <param name="maxBatch">The explainer's largest batch.</param>
    public BareGraphRuns(ModelPackage package, InterpreterKind interpreter, InferenceOptions inference, float[] window, int maxBatch)
    {
        var m = package.Manifest;
        _maxBatch = maxBatch;
        var factory = new SessionFactory(inference);
        _classifier = factory.Open(package.PathOf(m.Classifier.File), m.Classifier);
        try
        {
            var spec = m.Interpreter(interpreter).Graph;
            _interpreter = spec is null ? null : factory.Open(package.PathOf(spec.File), spec);
            int melItem = m.FrontEnd.Frames * m.FrontEnd.NMels;
            _logMel = new float[maxBatch * melItem];
            _logMel2 = new float[2 * maxBatch * melItem];
            // Every row the same window: run times do not depend on the values.
            var one = new float[melItem];
            new LogMelExtractor(m.FrontEnd).Process(window, one);
            for (int r = 0; r < 2 * maxBatch; r++)
            {
                if (r < maxBatch) one.CopyTo(_logMel, r * melItem);
                one.CopyTo(_logMel2, r * melItem);
            }

            foreach (var o in m.Classifier.Outputs) _classifierOut[o.Name] = new float[maxBatch * o.ItemElements];
            _interpreterInNames = spec is null ? [] : [.. spec.Inputs.Select(i => i.Name)];
            _interpreterOutNames = spec is null ? [] : [.. spec.Outputs.Select(o => o.Name)];
            _interpreterIn = spec is null ? [] : [.. spec.Inputs.Select(i => Input(i, window, m.ClipSamples))];
            _interpreterOut = spec is null ? [] : [.. spec.Outputs.Select(o => new float[maxBatch * o.ItemElements])];
        }
        catch
        {
            _interpreter?.Dispose();
            _classifier.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the graphs for <paramref name="windows"/> windows in the explainer's batches; returns milliseconds spent in
    /// the classifier, the interpreter graph and the evidence's classifier runs.
    /// </summary>
    public (double Classifier, double Interpreter, double Evidence) Run(int windows)
    {
        double c = 0, i = 0, e = 0;
        for (int w0 = 0; w0 < windows; w0 += _maxBatch)
        {
            int b = Math.Min(_maxBatch, windows - w0);
            long t0 = Stopwatch.GetTimestamp();
            _classifier.Run(["logmel"], [Rows(_logMel, _classifier.Spec.Input("logmel"), b)],
                [.. _classifierOut.Keys], [.. _classifierOut.Select(kv => Rows(kv.Value, _classifier.Spec.Output(kv.Key), b))]);
            long t1 = Stopwatch.GetTimestamp();
            if (_interpreter is { } g)
            {
                g.Run(_interpreterInNames, [.. _interpreterInNames.Select((n, k) => Rows(_interpreterIn[k], g.Spec.Input(n), b))],
                    _interpreterOutNames, [.. _interpreterOutNames.Select((n, k) => Rows(_interpreterOut[k], g.Spec.Output(n), b))]);
            }

            long t2 = Stopwatch.GetTimestamp();
            // The explanations and masked-out signals of the batch, in runs of at most the largest batch (BatchedRun).
            var logits = _classifierOut["logits"];
            for (int r0 = 0; r0 < 2 * b; r0 += _maxBatch)
            {
                int rows = Math.Min(_maxBatch, (2 * b) - r0);
                _classifier.Run(["logmel"], [Rows(_logMel2, _classifier.Spec.Input("logmel"), rows)],
                    ["logits"], [Rows(logits, _classifier.Spec.Output("logits"), rows)]);
            }

            long t3 = Stopwatch.GetTimestamp();
            c += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            i += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            e += Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
        }

        return (c, i, e);
    }

    public void Dispose()
    {
        _interpreter?.Dispose();
        _classifier.Dispose();
    }

    // An interpreter input: the window for the waveform, the classifier's output of the same name, else zeros.
    private float[] Input(TensorSpec spec, float[] window, int clipSamples)
    {
        if (_classifierOut.TryGetValue(spec.Name, out var representation)) return representation;
        var data = new float[_maxBatch * spec.ItemElements];
        if (spec.ItemElements == clipSamples)
        {
            for (int r = 0; r < _maxBatch; r++) window.AsSpan(0, clipSamples).CopyTo(data.AsSpan(r * clipSamples));
        }

        return data;
    }

    private static TensorBuffer Rows(float[] data, TensorSpec spec, int rows) =>
        new(data.AsMemory(0, (int)(rows * spec.ItemElements)), [rows, .. spec.Shape.Skip(1)]);
}

using System.Collections.Concurrent;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// One graph's runs over rows of flat buffers, with fixed input and output names, at most <c>maxBatch</c> rows a run.
/// The specs and the tensor shapes of each row count (and frame count) are worked out once: looked up per run (LINQ,
/// shape arrays) they were a few kilobytes of garbage a window.
/// </summary>
internal sealed class BatchedRun
{
    private readonly OnnxGraph _graph;
    private readonly string[] _inNames;
    private readonly string[] _outNames;
    private readonly TensorSpec[] _specs;
    private readonly ConcurrentDictionary<(int Rows, int? Frames), Shapes> _shapes = new();

    public BatchedRun(OnnxGraph graph, string[] inNames, string[] outNames)
    {
        _graph = graph;
        _inNames = inNames;
        _outNames = outNames;
        _specs = [.. inNames.Select(graph.Spec.Input), .. outNames.Select(graph.Spec.Output)];
    }

    /// <summary>
    /// Runs the graph over <paramref name="rows"/> rows of <paramref name="ins"/> into <paramref name="outs"/> (one buffer
    /// per name). <paramref name="frames"/>: the size along the inputs' frame axes (<see cref="TensorSpec.FrameAxes"/>),
    /// when not the manifest's; the outputs then must have none.
    /// </summary>
    public void Run(int rows, int maxBatch, float[][] ins, float[][] outs, CancellationToken cancellationToken, int? frames = null)
    {
        var inputs = new TensorBuffer[ins.Length];
        var outputs = new TensorBuffer[outs.Length];
        for (int r0 = 0; r0 < rows; r0 += maxBatch)
        {
            int b = Math.Min(maxBatch, rows - r0);
            if (!_shapes.TryGetValue((b, frames), out var shapes)) shapes = _shapes.GetOrAdd((b, frames), Make(b, frames));
            for (int i = 0; i < ins.Length; i++) inputs[i] = Slice(ins[i], shapes, i, r0, b);
            for (int i = 0; i < outs.Length; i++) outputs[i] = Slice(outs[i], shapes, ins.Length + i, r0, b);
            _graph.Run(_inNames, inputs, _outNames, outputs, cancellationToken);
        }
    }

    private static TensorBuffer Slice(float[] data, Shapes shapes, int tensor, int row, int count)
    {
        long item = shapes.Items[tensor];
        return new TensorBuffer(data.AsMemory((int)(row * item), (int)(count * item)), shapes.Full[tensor]);
    }

    // The shapes of a run of `rows` rows, the inputs' frame axes at `frames` when given. ONNX Runtime copies a shape
    // when it wraps a buffer, so concurrent runs may share these.
    private Shapes Make(int rows, int? frames)
    {
        int inputs = _inNames.Length;
        if (frames is not null && _specs.Skip(inputs).FirstOrDefault(s => s.FrameAxes.Count > 0) is { } follows)
            throw new ArgumentException($"{_graph.Path}: the size of '{follows.Name}' at another frame count is not known before the run", nameof(frames));
        var full = new long[_specs.Length][];
        var items = new long[_specs.Length];
        for (int t = 0; t < _specs.Length; t++)
        {
            long[] item = [.. _specs[t].Shape.Skip(1)];
            if (t < inputs && frames is int f)
            {
                foreach (int axis in _specs[t].FrameAxes) item[axis - 1] = f;
            }

            items[t] = item.Aggregate(1L, (a, d) => a * d);
            full[t] = [rows, .. item];
        }

        return new Shapes(full, items);
    }

    private sealed record Shapes(long[][] Full, long[] Items);
}

using System.Collections.Concurrent;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// One graph's runs over rows of flat buffers, with fixed input and output names, at most <c>maxBatch</c> rows a run.
/// The specs and the tensor shapes of each row count are worked out once: looked up per run (LINQ, shape arrays)
/// they were a few kilobytes of garbage a window.
/// </summary>
internal sealed class BatchedRun
{
    private readonly OnnxGraph _graph;
    private readonly string[] _inNames;
    private readonly string[] _outNames;
    private readonly TensorSpec[] _specs;
    private readonly long[] _items;
    private readonly ConcurrentDictionary<int, long[][]> _shapes = new();

    public BatchedRun(OnnxGraph graph, string[] inNames, string[] outNames)
    {
        _graph = graph;
        _inNames = inNames;
        _outNames = outNames;
        _specs = [.. inNames.Select(graph.Spec.Input), .. outNames.Select(graph.Spec.Output)];
        _items = [.. _specs.Select(s => s.ItemElements)];
    }

    /// <summary>Runs the graph over <paramref name="rows"/> rows of <paramref name="ins"/> into <paramref name="outs"/> (one buffer per name).</summary>
    public void Run(int rows, int maxBatch, float[][] ins, float[][] outs, CancellationToken cancellationToken)
    {
        var inputs = new TensorBuffer[ins.Length];
        var outputs = new TensorBuffer[outs.Length];
        for (int r0 = 0; r0 < rows; r0 += maxBatch)
        {
            int b = Math.Min(maxBatch, rows - r0);
            if (!_shapes.TryGetValue(b, out var shapes)) shapes = _shapes.GetOrAdd(b, Shapes(b));
            for (int i = 0; i < ins.Length; i++) inputs[i] = Slice(ins[i], i, shapes, r0, b);
            for (int i = 0; i < outs.Length; i++) outputs[i] = Slice(outs[i], ins.Length + i, shapes, r0, b);
            _graph.Run(_inNames, inputs, _outNames, outputs, cancellationToken);
        }
    }

    private TensorBuffer Slice(float[] data, int tensor, long[][] shapes, int row, int count)
    {
        long item = _items[tensor];
        return new TensorBuffer(data.AsMemory((int)(row * item), (int)(count * item)), shapes[tensor]);
    }

    // ONNX Runtime copies a shape when it wraps a buffer, so concurrent runs may share these.
    private long[][] Shapes(int count) => [.. _specs.Select(s => (long[])[count, .. s.Shape.Skip(1)])];
}

using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>Runs a graph over <c>rows</c> rows of flat buffers, at most <c>maxBatch</c> rows a run.</summary>
internal static class BatchedRun
{
    /// <summary>
    /// Runs the graph. <paramref name="frames"/>: the size along the inputs' frame axes (<see cref="TensorSpec.FrameAxes"/>),
    /// when not the manifest's; the outputs then must have none.
    /// </summary>
    public static void Run(OnnxGraph graph, int rows, int maxBatch, string[] inNames, float[][] ins, string[] outNames, float[][] outs,
        CancellationToken cancellationToken, int? frames = null)
    {
        var inSpecs = inNames.Select(graph.Spec.Input).ToArray();
        var outSpecs = outNames.Select(graph.Spec.Output).ToArray();
        if (frames is not null && outSpecs.FirstOrDefault(s => s.FrameAxes.Count > 0) is { } follows)
            throw new ArgumentException($"{graph.Path}: the size of '{follows.Name}' at another frame count is not known before the run", nameof(frames));
        var inShapes = inSpecs.Select(s => ItemShape(s, frames)).ToArray();
        var outShapes = outSpecs.Select(s => ItemShape(s, null)).ToArray();
        for (int r0 = 0; r0 < rows; r0 += maxBatch)
        {
            int b = Math.Min(maxBatch, rows - r0);
            graph.Run(inNames, [.. inShapes.Select((s, i) => Slice(ins[i], s, r0, b))],
                outNames, [.. outShapes.Select((s, i) => Slice(outs[i], s, r0, b))], cancellationToken);
        }
    }

    // One row's shape: the spec's, less the batch, with the frame axes at `frames` when given.
    private static long[] ItemShape(TensorSpec spec, int? frames)
    {
        long[] item = [.. spec.Shape.Skip(1)];
        if (frames is int f)
        {
            foreach (int axis in spec.FrameAxes) item[axis - 1] = f;
        }

        return item;
    }

    private static TensorBuffer Slice(float[] data, long[] itemShape, int row, int count)
    {
        long item = itemShape.Aggregate(1L, (a, d) => a * d);
        return new TensorBuffer(data.AsMemory((int)(row * item), (int)(count * item)), [count, .. itemShape]);
    }
}

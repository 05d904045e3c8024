using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>Runs a graph over <c>rows</c> rows of flat buffers, at most <c>maxBatch</c> rows a run.</summary>
internal static class BatchedRun
{
    public static void Run(OnnxGraph graph, int rows, int maxBatch, string[] inNames, float[][] ins, string[] outNames, float[][] outs,
        CancellationToken cancellationToken)
    {
        var inSpecs = inNames.Select(graph.Spec.Input).ToArray();
        var outSpecs = outNames.Select(graph.Spec.Output).ToArray();
        for (int r0 = 0; r0 < rows; r0 += maxBatch)
        {
            int b = Math.Min(maxBatch, rows - r0);
            graph.Run(inNames, [.. inSpecs.Select((s, i) => Slice(ins[i], s, r0, b))],
                outNames, [.. outSpecs.Select((s, i) => Slice(outs[i], s, r0, b))], cancellationToken);
        }
    }

    private static TensorBuffer Slice(float[] data, TensorSpec spec, int row, int count)
    {
        long item = spec.ItemElements;
        long[] shape = [count, .. spec.Shape.Skip(1)];
        return new TensorBuffer(data.AsMemory((int)(row * item), (int)(count * item)), shape);
    }
}

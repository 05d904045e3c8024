using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Inference;

/// <summary>
/// Opens every graph of a package (classifier and all interpreters) on the CPU and checks each one's actual inputs
/// and outputs against the manifest, then closes them. An <see cref="Explaining.Explainer"/> checks the graphs it opens
/// anyway; this checks a whole package up front, for tools that ship or install packages.
/// </summary>
internal static class GraphVerifier
{
    /// <summary>
    /// Checks every graph of <paramref name="package"/>. A classifier whose frame axis is symbolic (<c>"frames"</c>)
    /// is also run once on a silent batch of one at <c>frontEnd.frames</c>, since only a run shows the sizes of its
    /// representations, which the interpreters take as the manifest gives them.
    /// </summary>
    /// <exception cref="ModelPackageException">A graph cannot be loaded or its inputs or outputs differ from the manifest (the file is named).</exception>
    public static void Verify(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var m = package.Manifest;
        var factory = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1, Optimization = GraphOptimization.None });
        foreach (var graph in new[] { m.Classifier }.Concat(m.Interpreters.Values.Select(i => i.Graph).OfType<GraphSpec>()))
        {
            using var opened = factory.Open(package.PathOf(graph.File), graph,
                package.Manifest.Files.TryGetValue(graph.File, out var entry) ? entry.Sha256 : null);
            if (ReferenceEquals(graph, m.Classifier) && graph.Inputs.Any(i => i.FrameAxes.Count > 0)) RunOnce(opened);
        }
    }

    // Every output bound to a buffer of its manifest shape: ONNX Runtime refuses to write another shape into it.
    private static void RunOnce(OnnxGraph graph)
    {
        static TensorBuffer Buffer(TensorSpec t) => new(new float[t.ItemElements], [1, .. t.Shape.Skip(1)]);
        var spec = graph.Spec;
        try
        {
            graph.Run([.. spec.Inputs.Select(t => t.Name)], [.. spec.Inputs.Select(Buffer)],
                [.. spec.Outputs.Select(t => t.Name)], [.. spec.Outputs.Select(Buffer)]);
        }
        catch (InferenceException e)
        {
            throw new ModelPackageException(graph.Path, "at frontEnd.frames the graph's outputs are not the shapes the manifest gives "
                + $"({string.Join(", ", spec.Outputs)}): {(e.InnerException ?? e).Message.Split('\n', 2)[0].Trim()}", e);
        }
    }
}

using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Inference;

/// <summary>
/// Opens every graph of a package (classifier and all interpreters) on the CPU and checks each one's actual inputs
/// and outputs against the manifest, then closes them. An <see cref="Explaining.Explainer"/> checks the graphs it opens
/// anyway; this checks a whole package up front, for tools that ship or install packages.
/// </summary>
internal static class GraphVerifier
{
    /// <summary>Checks every graph of <paramref name="package"/>.</summary>
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
        }
    }
}

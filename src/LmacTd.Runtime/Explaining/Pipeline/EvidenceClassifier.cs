using LmacTd.Runtime.Inference;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// The classifier as the evidence run uses it: logits only, for log-mels of the package's frame count or, where the
/// graph's frame axis is symbolic, of another one, at most <c>maxBatch</c> rows a run.
/// </summary>
internal sealed class EvidenceClassifier(OnnxGraph graph, int frames, int maxBatch)
{
    private static readonly string[] LogMelInput = ["logmel"];
    private static readonly string[] LogitsOnly = ["logits"];

    private readonly BatchedRun _run = new(graph, LogMelInput, LogitsOnly);

    /// <summary>Whether the graph takes any number of frames (<c>"frames"</c> in the manifest), not only <see cref="Frames"/>.</summary>
    public bool TakesAnyFrames { get; } = graph.Spec.Inputs.Any(i => i.FrameAxes.Count > 0);

    /// <summary>The package's own frame count (<c>frontEnd.frames</c>).</summary>
    public int Frames => frames;

    /// <summary>
    /// The logits of <paramref name="rows"/> log-mels of <paramref name="rowFrames"/> frames each (frame-major, one after
    /// another in <paramref name="logMel"/>) into <paramref name="logits"/> (<c>rows * classes</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The graph takes a fixed frame count and <paramref name="rowFrames"/> is another.</exception>
    public void Run(float[] logMel, int rows, int rowFrames, float[] logits, CancellationToken cancellationToken)
    {
        if (rowFrames != frames && !TakesAnyFrames)
            throw new ArgumentException($"{graph.Path}: the classifier takes a fixed {frames} frames, not {rowFrames}", nameof(rowFrames));
        _run.Run(rows, maxBatch, [logMel], [logits], cancellationToken, rowFrames);
    }
}

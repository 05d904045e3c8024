using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Metrics;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// One explainer's interpreter: turns a batch of normalised windows and their classifier representations into
/// explanations, masked-out signals and masks, and says how the evidence run sees its outputs. Runs may overlap.
/// </summary>
internal abstract class InterpreterRunner
{
    // Maps of windows whose maps are not kept (about 0.9 MB each for the default model): reused, not left to the GC.
    private readonly System.Collections.Concurrent.ConcurrentBag<float[]> _maps = [];

    /// <summary>The shape of one window's mask.</summary>
    public abstract int[] MaskShape { get; }

    /// <summary>
    /// Fills <see cref="WindowBatch.Explanation"/>, <see cref="WindowBatch.MaskedOut"/> and <see cref="WindowBatch.Mask"/>
    /// for the batch's rows from <see cref="WindowBatch.Wave"/> and <see cref="WindowBatch.Representations"/>.
    /// </summary>
    public abstract void Run(WindowBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// The evidence's front end for one row: the log-mel of its explanation (or masked-out signal) into
    /// <paramref name="logMel"/>; returns the map for sparseness and complexity when it computed one on the way.
    /// By default, the log-mel of the waveform and no map.
    /// </summary>
    public virtual float[]? EvidenceFrontEnd(WindowBatch batch, int row, bool explanation, FrontEndWorker worker, Span<float> logMel)
    {
        worker.LogMel.Process(explanation ? batch.ExplanationRow(row) : batch.MaskedOutRow(row), logMel);
        return null;
    }

    /// <summary>The map for sparseness and complexity and its shape, when the front end gave none: by default the mask.</summary>
    public virtual (float[] Map, int[] Shape) EvidenceMap(WindowBatch batch, int row, float[]? fromFrontEnd)
    {
        if (fromFrontEnd is not null) throw new InvalidOperationException("a runner that computes a map must say its shape");
        var mask = batch.MaskRow(row);
        var map = RentMap(mask.Length);
        mask.CopyTo(map);
        return (map, MaskShape);
    }

    /// <summary>
    /// The evidence as the SpeechBrain recipe's code computes it (<see cref="MetricConvention.SpeechBrain"/>): replaces
    /// each row's written-formula evidence in <paramref name="evidence"/>, running <paramref name="classifier"/> again
    /// where the recipe classifies something else. By default the same numbers, labelled with the recipe's convention.
    /// </summary>
    public virtual void RecipeEvidence(WindowBatch batch, FaithfulnessEvidence[] evidence, EvidenceClassifier classifier, CancellationToken cancellationToken)
    {
        for (int r = 0; r < evidence.Length; r++) evidence[r] = evidence[r].WithConvention(MetricConvention.SpeechBrain);
    }

    /// <summary>
    /// Takes back a map <see cref="EvidenceFrontEnd"/> made, once the window's metrics have been computed from it and
    /// it is not kept (<see cref="Explaining.ExplainerOptions.KeepMaps"/> off), so the next window can reuse it.
    /// </summary>
    public void ReturnMap(float[] map)
    {
        if (map.Length > 0 && _maps.Count < 64) _maps.Add(map);
    }

    /// <summary>
    /// A map array of <paramref name="length"/>, one given back by <see cref="ReturnMap"/> when there is one (its old
    /// values still in it: the caller writes every value).
    /// </summary>
    protected float[] RentMap(int length) => _maps.TryTake(out var map) && map.Length == length ? map : new float[length];

    /// <summary>Gives back whatever the runner kept for the batch (called once its evidence is done).</summary>
    public virtual void EndBatch(WindowBatch batch)
    {
    }
}

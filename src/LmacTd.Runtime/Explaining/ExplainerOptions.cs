using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining;

/// <summary>Options of an <see cref="Explainer"/>. <see cref="Default"/> suits most uses; every value validates itself.</summary>
public sealed class ExplainerOptions
{
    /// <summary>LMAC-TD when the package has it, top 5, half-overlapping windows, evidence on, auto device.</summary>
    public static ExplainerOptions Default { get; } = new();

    /// <summary>The interpreter; null picks the first of <see cref="InterpreterKind.All"/> the package holds (LMAC-TD, then L-MAC).</summary>
    public InterpreterKind? Interpreter { get; init; }

    /// <summary>Device, threads and graph optimisation.</summary>
    public InferenceOptions Inference { get; init; } = InferenceOptions.Default;

    /// <summary>How many classes <see cref="Explanation.Top"/> lists.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Overlap of consecutive windows on input longer than one clip, as a fraction of the clip (0 to 0.9).</summary>
    public double WindowOverlap { get; init; } = 0.5;

    /// <summary>The most windows one graph run takes; larger batches are split.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>Run the classifier on the explanation and masked-out signal (one extra batched run) for the metrics.</summary>
    public bool ComputeEvidence { get; init; } = true;

    /// <summary>
    /// Keep every window's mask and evidence map on the result (on by default). Off, each window's metrics are
    /// computed as it completes and its maps dropped (2.6 MB a window for the default model's LMAC-TD mask), so
    /// memory stays flat on long audio and streams.
    /// </summary>
    public bool KeepMaps { get; init; } = true;

    /// <summary>
    /// How the evidence and its metrics are computed: the written formulas (default) or the SpeechBrain recipe's
    /// code (for L-MAC one more classifier run, on the masked spectrograms at the mask's frames).
    /// </summary>
    public MetricConvention MetricConvention { get; init; } = MetricConvention.Paper;

    /// <summary>Throws <see cref="ArgumentException"/> for values that cannot work.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Inference);
        Inference.Validate();
        if (Interpreter is { } k && k.Name is null) throw new ArgumentException("Interpreter must be a kind from InterpreterKind.All (or InterpreterKind.Parse)");
        if (!Enum.IsDefined(MetricConvention)) throw new ArgumentException($"unknown metric convention {MetricConvention}");
        if (TopK < 1) throw new ArgumentException($"TopK must be at least 1, got {TopK}");
        if (!(WindowOverlap >= 0 && WindowOverlap <= 0.9)) throw new ArgumentException($"WindowOverlap must be in [0, 0.9], got {WindowOverlap}");
        if (MaxBatchSize < 1) throw new ArgumentException($"MaxBatchSize must be at least 1, got {MaxBatchSize}");
    }
}

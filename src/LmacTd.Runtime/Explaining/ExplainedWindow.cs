using LmacTd.Runtime.Metrics;

namespace LmacTd.Runtime.Explaining;

/// <summary>One window of the input as the explainer saw it: where it lies, what the classifier said, the mask.</summary>
public sealed class ExplainedWindow
{
    private readonly Lazy<FaithfulnessMetrics?> _metrics;

    internal ExplainedWindow(long start, int length, float divisor, float[] logits, float[] mask, int[] maskShape, FaithfulnessEvidence? evidence,
        bool keepMaps = true)
    {
        Start = start;
        Length = length;
        NormalisationDivisor = divisor;
        Logits = logits;
        Probabilities = Softmax.Of(logits);
        ClassIndex = Softmax.ArgMax(Probabilities);
        Mask = mask;
        MaskShape = maskShape;
        if (!keepMaps && evidence is not null)
        {
            // Maps not kept: the metrics now, while the map is here, then the evidence without it.
            var metrics = Faithfulness.Of(evidence);
            evidence = new FaithfulnessEvidence(evidence.P, evidence.Q, evidence.R, evidence.LogitsExplanation, evidence.LogitsMaskedOut, [], [0])
            {
                Convention = evidence.Convention,
            };
            _metrics = new Lazy<FaithfulnessMetrics?>(metrics);
        }
        else
        {
            // Lazy: SPS sorts the whole map, a cost only callers who read the metrics should pay.
            _metrics = new Lazy<FaithfulnessMetrics?>(
                () => evidence is null ? null : Faithfulness.Of(evidence),
                LazyThreadSafetyMode.PublicationOnly);
        }

        Evidence = evidence;
    }

    /// <summary>First sample of the window, at the model's rate, from the start of the audio (or of the stream).</summary>
    public long Start { get; }

    /// <summary>Samples of real audio in the window at the model's rate (the rest of a clip is padding).</summary>
    public int Length { get; }

    /// <summary>What the window was divided by before the graphs (contract step 2).</summary>
    public float NormalisationDivisor { get; }

    /// <summary>The classifier's logits on the window.</summary>
    public float[] Logits { get; }

    /// <summary>Softmax of <see cref="Logits"/>.</summary>
    public float[] Probabilities { get; }

    /// <summary>The window's predicted class.</summary>
    public int ClassIndex { get; }

    /// <summary>
    /// The interpreter's mask, row-major: <c>[encoder channels, encoder frames]</c> for LMAC-TD,
    /// <c>[maskFrames, maskBins]</c> for L-MAC. Every window keeps its own; empty when
    /// <see cref="ExplainerOptions.KeepMaps"/> is off.
    /// </summary>
    public float[] Mask { get; }

    /// <summary>The shape of <see cref="Mask"/>.</summary>
    public int[] MaskShape { get; }

    /// <summary>
    /// p, q, r and the map for the faithfulness metrics; null when the explainer was told to skip them. The map is
    /// empty when <see cref="ExplainerOptions.KeepMaps"/> is off (the metrics were computed before it was dropped).
    /// </summary>
    internal FaithfulnessEvidence? Evidence { get; }

    /// <summary>
    /// The classifier's class probabilities on the window's explanation (the metrics' <c>q</c>); null when the
    /// explainer was told to skip the evidence (<see cref="ExplainerOptions.ComputeEvidence"/>).
    /// </summary>
    public float[]? ExplanationProbabilities => Evidence?.Q;

    /// <summary>
    /// The classifier's class probabilities on the window's masked-out signal (the metrics' <c>r</c>); null when the
    /// explainer was told to skip the evidence.
    /// </summary>
    public float[]? MaskedOutProbabilities => Evidence?.R;

    /// <summary>
    /// How far the interpreter's own explanation and masked-out signal are from adding up to the window,
    /// <c>||e + r - x|| / ||x||</c> at the model's rate (neither interpreter's pair adds up exactly: LMAC-TD's
    /// learnt decoder does not reconstruct perfectly, and L-MAC masks log-magnitudes). The returned masked-out waveform is always the input less the
    /// explanation, so this error lands in neither output; the metrics use the interpreter's own masked-out signal.
    /// </summary>
    public double ReconstructionError { get; init; }

    /// <summary>
    /// The share of the input's energy over this window that lies above the model's band (above half its sample rate):
    /// the classifier never hears it and it goes whole to the masked-out waveform. Null for streams.
    /// </summary>
    public double? AboveBandShare { get; internal set; }

    /// <summary>
    /// The window's faithfulness metrics (AI, AD, AG, FF, Fid-In, SPS, COMP; see <see cref="FaithfulnessMetrics"/>),
    /// computed from the window's p, q, r and map on first use; null when the explainer was told to skip the evidence.
    /// </summary>
    public FaithfulnessMetrics? Metrics => _metrics.Value;
}

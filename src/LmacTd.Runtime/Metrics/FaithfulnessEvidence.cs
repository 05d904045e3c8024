namespace LmacTd.Runtime.Metrics;

/// <summary>
/// What the faithfulness metrics (namespace <c>LmacTd.Runtime.Metrics</c>) take for one window: the class
/// probabilities of the classifier on the input (<see cref="P"/>), on the explanation (<see cref="Q"/>) and on
/// the masked-out signal (<see cref="R"/>), and the map for sparseness and complexity (contract step 8).
/// </summary>
internal sealed class FaithfulnessEvidence
{
    /// <summary>Creates the evidence (arrays are kept, not copied).</summary>
    public FaithfulnessEvidence(float[] p, float[] q, float[] r, float[] logitsExplanation, float[] logitsMaskedOut, float[] map, int[] mapShape)
    {
        P = p;
        Q = q;
        R = r;
        LogitsExplanation = logitsExplanation;
        LogitsMaskedOut = logitsMaskedOut;
        Map = map;
        MapShape = mapShape;
        ClassIndex = Softmax.ArgMax(p);
    }

    /// <summary>Softmax of the classifier on the input window.</summary>
    public float[] P { get; }

    /// <summary>Softmax of the classifier on the explanation (the masked-in signal).</summary>
    public float[] Q { get; }

    /// <summary>Softmax of the classifier on the masked-out signal.</summary>
    public float[] R { get; }

    /// <summary>The classifier's logits on the explanation.</summary>
    public float[] LogitsExplanation { get; }

    /// <summary>The classifier's logits on the masked-out signal.</summary>
    public float[] LogitsMaskedOut { get; }

    /// <summary><c>c = argmax P</c>, the class the metrics are about.</summary>
    public int ClassIndex { get; }

    /// <summary>
    /// The map for SPS and COMP, row-major: the mask <c>[maskFrames, maskBins]</c> for L-MAC, and
    /// <c>log1p |STFT(explanation)|</c> <c>[frames, nFft/2 + 1]</c> with the front end's STFT for LMAC-TD.
    /// </summary>
    public float[] Map { get; }

    /// <summary>The shape of <see cref="Map"/>.</summary>
    public int[] MapShape { get; }

    /// <summary>
    /// The convention <see cref="Q"/>, <see cref="R"/> and <see cref="Map"/> were made for, and that
    /// <see cref="Faithfulness.Of"/> computes under: under <see cref="MetricConvention.SpeechBrain"/> an L-MAC
    /// window's map is <c>M * log1p |X|</c> and its q and r come from the masked spectrograms at the mask's frames,
    /// unpadded (with a classifier graph of a fixed frame count: at that count, as under the written formulas).
    /// </summary>
    public MetricConvention Convention { get; init; } = MetricConvention.Paper;

    /// <summary>The same evidence labelled with another convention (for LMAC-TD both conventions score the same q, r and map).</summary>
    internal FaithfulnessEvidence WithConvention(MetricConvention convention) =>
        new(P, Q, R, LogitsExplanation, LogitsMaskedOut, Map, MapShape) { Convention = convention };
}

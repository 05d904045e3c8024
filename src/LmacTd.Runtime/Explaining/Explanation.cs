using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining;

/// <summary>
/// The result of explaining one input: the prediction, the listenable explanation and masked-out waveforms at the
/// input's rate and level (and at the model's rate), and per window the classifier's output, the mask and the
/// faithfulness evidence. For input longer than one clip the prediction is the mean of the windows' probabilities.
/// </summary>
public sealed class Explanation
{
    private TimeRelevance? _relevance;

    internal Explanation(IReadOnlyList<string> labels, float[] probabilities, int topK)
    {
        Probabilities = probabilities;
        ClassIndex = Softmax.ArgMax(probabilities);
        Label = labels[ClassIndex];
        Top = [.. probabilities.Select((p, i) => new ClassScore(i, labels[i], p))
            .OrderByDescending(s => s.Probability).ThenBy(s => s.Index).Take(topK)];
    }

    /// <summary>The predicted class index.</summary>
    public int ClassIndex { get; }

    /// <summary>The predicted class label.</summary>
    public string Label { get; }

    /// <summary>The probability of the predicted class.</summary>
    public float Probability => Probabilities[ClassIndex];

    /// <summary>Class probabilities (mean over windows for long input).</summary>
    public float[] Probabilities { get; }

    /// <summary>The most probable classes, most probable first.</summary>
    public IReadOnlyList<ClassScore> Top { get; }

    /// <summary>The interpreter that made the explanation.</summary>
    public required InterpreterKind Interpreter { get; init; }

    /// <summary>The device the graphs ran on, and why.</summary>
    public required DeviceSelection Device { get; init; }

    /// <summary>The input's sample rate; <see cref="ExplanationWaveform"/> and <see cref="MaskedOutWaveform"/> are at it.</summary>
    public required int SampleRate { get; init; }

    /// <summary>The model's sample rate; the <c>ModelRate*</c> waveforms are at it.</summary>
    public required int ModelSampleRate { get; init; }

    /// <summary>The explanation (what the classifier listened to), same length, rate and level as the input.</summary>
    public required float[] ExplanationWaveform { get; init; }

    /// <summary>
    /// The masked-out signal (the rest), same length, rate and level as the input: the input less
    /// <see cref="ExplanationWaveform"/>, so the two always add up to the input, content above the model's band
    /// included. (The metrics use the interpreter's own masked-out signal, <see cref="ModelRateMaskedOut"/>.)
    /// </summary>
    public required float[] MaskedOutWaveform { get; init; }

    /// <summary>The explanation at the model's rate, at the input's level.</summary>
    public required float[] ModelRateExplanation { get; init; }

    /// <summary>The masked-out signal at the model's rate, at the input's level.</summary>
    public required float[] ModelRateMaskedOut { get; init; }

    /// <summary>
    /// The windows the input was cut into (one for input no longer than a clip), in time order, each with its own
    /// prediction, mask (<see cref="ExplainedWindow.Mask"/>) and evidence. Silent windows are not explained and not listed.
    /// </summary>
    public required IReadOnlyList<ExplainedWindow> Windows { get; init; }

    /// <summary>
    /// What makes this explanation less trustworthy: a truncated file, too short or near-silent input, most energy above
    /// the model's band, an unconfident decision (<see cref="WarningKind"/>). Empty when nothing was found.
    /// </summary>
    public IReadOnlyList<ExplanationWarning> Warnings { get; internal set; } = [];

    /// <summary>
    /// The share of the input's energy above the model's band (half its sample rate), which the classifier never hears
    /// and which goes whole to <see cref="MaskedOutWaveform"/>; 0 when the input is at the model's rate.
    /// </summary>
    public double AboveBandShare { get; init; }

    /// <summary>Duration of the input in seconds.</summary>
    public double DurationSeconds => (double)ExplanationWaveform.Length / SampleRate;

    /// <summary>The input's mono mix at its own rate and level; the Explainer sets it. Null: explanation plus masked-out stands in.</summary>
    internal float[]? InputWaveform { get; init; }

    /// <summary>How much of the input the explanation keeps, per 10 ms hop (see <see cref="TimeRelevance"/>); computed on first use.</summary>
    internal TimeRelevance Relevance => _relevance ??= TimeRelevance.Compute(
        InputWaveform ?? [.. ExplanationWaveform.Zip(MaskedOutWaveform, (a, b) => a + b)], ExplanationWaveform, SampleRate);

    /// <summary>
    /// How much of the input the explanation keeps, over time: one score in [0, 1] per hop of
    /// <see cref="RelevanceHopSeconds"/> (10 ms in whole samples of the input's rate) on the input's timeline, the share
    /// of the input's energy (over 20 ms around the hop) that the explanation waveform holds, clamped at 1; hops below
    /// a silence floor (60 dB under the loudest, or -100 dBFS) score 0. Score <c>k</c> covers
    /// <c>[k * RelevanceHopSeconds, (k + 1) * RelevanceHopSeconds)</c>. Computed on first use.
    /// </summary>
    public IReadOnlyList<float> RelevanceCurve => Relevance.Values;

    /// <summary>Seconds per score of <see cref="RelevanceCurve"/>.</summary>
    public double RelevanceHopSeconds => Relevance.HopSeconds;

    /// <summary>
    /// The stretches where <see cref="RelevanceCurve"/> stays at or above 0.5 (the explanation keeps at least half the
    /// input's energy), gaps under 100 ms bridged and stretches under 20 ms dropped, highest mean score first.
    /// </summary>
    public IReadOnlyList<RelevanceSegment> Segments => Relevance.Segments;

    /// <summary>Time per stage.</summary>
    internal StageTimings Timings { get; init; } = new();

    /// <summary>
    /// The explanation's own evidence of faithfulness: the metrics of its window, or for input longer than one clip
    /// their mean over the windows (the class most windows explain); null when the explainer was told to skip
    /// the evidence. An application can refuse to play back an explanation whose <see cref="FaithfulnessMetrics.FidIn"/>
    /// is 0 (the classifier does not hear the explained class in it).
    /// </summary>
    public FaithfulnessMetrics? Metrics =>
        Windows.All(w => w.Evidence is not null) ? Faithfulness.OfWindows([.. Windows.Select(w => w.Metrics!)]) : null;
}

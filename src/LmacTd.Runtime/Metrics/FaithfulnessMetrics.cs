using System;

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// The faithfulness figures of one explanation, as the LMAC-TD paper reports them.
/// Every field is for a single clip (or, for an explanation of several windows, their mean).
/// </summary>
/// <remarks>
/// Notation: <c>p</c> is the classifier's softmax on the input, <c>c = argmax p</c> the explained
/// class, <c>q</c> the softmax on the explanation (masked-in signal) and <c>r</c> the softmax on the
/// masked-out signal. The map of SPS and COMP is the mask for L-MAC and <c>log1p |STFT(explanation)|</c> for
/// LMAC-TD (under <see cref="MetricConvention.SpeechBrain"/>, L-MAC's is <c>M * log1p |X|</c>).
/// </remarks>
/// <param name="ClassIndex">The explained class <c>c = argmax p</c>.</param>
/// <param name="PC">The input's probability of the explained class, <c>p_c</c>.</param>
/// <param name="QC">The explanation's probability of the explained class, <c>q_c</c>.</param>
/// <param name="RC">The masked-out signal's probability of the explained class, <c>r_c</c>.</param>
/// <param name="QArgmax">The class the classifier picks on the explanation, <c>argmax q</c>.</param>
/// <param name="AI">Average increase, per clip: <c>100 * [q_c &gt; p_c]</c>.</param>
/// <param name="AD">Average drop, per clip: <c>100 * max(0, p_c - q_c) / (p_c + 1e-10)</c>.</param>
/// <param name="AG">Average gain, per clip: <c>100 * max(0, q_c - p_c) / (1 - p_c + 1e-10)</c>.</param>
/// <param name="FF">Faithfulness: <c>p_c - r_c</c>; large when removing the explanation hurts the class.</param>
/// <param name="FidIn">Input fidelity: <c>1</c> when <c>argmax q = c</c>, else <c>0</c>.</param>
/// <param name="SPS">Sparseness of the map: the Gini index of its absolute values; <see cref="double.NaN"/> when no map was given.</param>
/// <param name="COMP">Complexity of the map: the entropy of its normalised absolute values; <see cref="double.NaN"/> when no map was given.</param>
public sealed record FaithfulnessMetrics(
    int ClassIndex,
    double PC,
    double QC,
    double RC,
    int QArgmax,
    double AI,
    double AD,
    double AG,
    double FF,
    double FidIn,
    double SPS,
    double COMP);

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// Which way of computing the faithfulness figures to follow: the formulas as written (the specification's
/// section 6, the default), or the way the SpeechBrain ESC-50 interpret recipe's code computes them, for figures
/// comparable with the recipe's and the paper's.
/// </summary>
public enum MetricConvention
{
    /// <summary>
    /// The written formulas: AD on the probabilities as they are, SPS and COMP on the mask (L-MAC) or
    /// <c>log1p |STFT(explanation)|</c> (LMAC-TD), L-MAC's evidence at the classifier's own frame count.
    /// </summary>
    Paper = 0,

    /// <summary>
    /// The recipe's code: AD applies a softmax again to <c>p</c> and <c>q</c> (already probabilities) before the
    /// formula; SPS divides the map by its largest magnitude before adding 1e-7 (Quantus' normalisation); L-MAC's
    /// map is the masked log-magnitude <c>M * log1p |X|</c> and its <c>q</c> and <c>r</c> come from the
    /// classifier on the log-mels of the masked spectrograms <c>expm1(M * log1p |X|)</c> and
    /// <c>expm1((1 - M) * log1p |X|)</c> at the mask's frames (the STFT's first 425 of 431), without padding. That run
    /// needs a classifier graph whose frame axis is symbolic (<c>"frames"</c> in the package's manifest, as every
    /// package exported since the axis became symbolic has); with a graph of a fixed frame count, L-MAC's <c>q</c>
    /// and <c>r</c> stay the written formulas' (the classifier at its own frame count).
    /// </summary>
    SpeechBrain = 1,
}

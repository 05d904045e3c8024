using System.Globalization;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>Turns a finished offline timeline into the <see cref="Explanation"/> the caller gets, warnings included.</summary>
internal static class ExplanationAssembly
{
    /// <summary>Below this the front end has too little audio to go on (a tenth of the default model's clip).</summary>
    public const double ShortSeconds = 0.5;

    /// <summary>One 16-bit step: a peak no larger is silence or dither.</summary>
    public const float SixteenBitStep = 1f / 32768;

    public static Explanation Of(ClipTimeline.OfflineOutput whole, AudioClip clip, Explainer explainer, StageTimings timings)
    {
        var manifest = explainer.Package.Manifest;
        int classes = manifest.LabelCount;
        double ratio = (double)clip.SampleRate / manifest.SampleRate;
        foreach (var w in whole.Windows)
        {
            w.AboveBandShare = AboveBand(clip.Samples, whole.BandLimitedInput, (int)(w.Start * ratio), (int)Math.Min(clip.Samples.Length, (w.Start + w.Length) * ratio));
        }

        double aboveBand = AboveBand(clip.Samples, whole.BandLimitedInput, 0, clip.Samples.Length);
        var result = new Explanation(explainer.Package.Labels, MeanProbabilities(whole.Windows, classes), Math.Min(explainer.Options.TopK, classes))
        {
            Interpreter = explainer.Interpreter,
            Device = explainer.Device,
            SampleRate = clip.SampleRate,
            InputWaveform = clip.Samples,
            ModelSampleRate = manifest.SampleRate,
            ExplanationWaveform = whole.Explanation,
            MaskedOutWaveform = whole.MaskedOut,
            ModelRateExplanation = whole.ModelRateExplanation,
            ModelRateMaskedOut = whole.ModelRateMaskedOut,
            Windows = whole.Windows,
            Timings = timings,
            AboveBandShare = aboveBand,
        };
        float peak = 0;
        foreach (var x in clip.Samples) peak = Math.Max(peak, Math.Abs(x));
        result.Warnings = Warnings(result, clip.DurationSeconds, clip.Truncated ? clip.DeclaredSeconds : null, peak, manifest.SampleRate / 2);
        return result;
    }

    /// <summary>The prediction for audio longer than one clip: the mean of the windows' probabilities (each window keeps its own).</summary>
    public static float[] MeanProbabilities(IReadOnlyList<ExplainedWindow> windows, int classes)
    {
        var mean = new float[classes];
        foreach (var w in windows)
        {
            for (int k = 0; k < classes; k++) mean[k] += w.Probabilities[k] / windows.Count;
        }

        return mean;
    }

    /// <summary>
    /// The warnings on <paramref name="e"/>, from figures rather than samples, so the offline result and a streamed
    /// summary raise them alike: the input's duration, the declared duration of a truncated file (else null), the
    /// input's peak and the model's band in Hz (<see cref="Explanation.AboveBandShare"/> is read from <paramref name="e"/>).
    /// </summary>
    public static List<ExplanationWarning> Warnings(Explanation e, double durationSeconds, double? truncatedFromSeconds, float peak, int band)
    {
        var warnings = new List<ExplanationWarning>();
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        if (truncatedFromSeconds is { } declared)
            warnings.Add(new(WarningKind.Truncated, $"the file declares {F(declared, "0.###")} s but holds {F(durationSeconds, "0.###")} s: it was cut short"));
        if (durationSeconds < ShortSeconds)
            warnings.Add(new(WarningKind.TooShort, $"the input lasts {F(durationSeconds, "0.###")} s; under {F(ShortSeconds, "0.#")} s the model has too little to go on"));
        if (peak <= SixteenBitStep * 1.0001f)
            warnings.Add(new(WarningKind.NearSilent, $"the input's peak is {F(peak, "0.##e+0")}, not above one 16-bit step ({F(SixteenBitStep, "0.##e+0")}): it is silence or dither"));
        if (e.AboveBandShare > 0.5)
            warnings.Add(new(WarningKind.MostlyAboveBand, $"{F(e.AboveBandShare * 100, "0")} % of the input's energy lies above the model's {band} Hz band, which it does not hear"));
        double uniform = 1.0 / e.Probabilities.Length;
        if (e.Probability <= 2 * uniform)
            warnings.Add(new(WarningKind.Unconfident, $"the decision ({e.Label}, {F(e.Probability, "0.000")}) is no more confident than twice the uniform probability ({F(uniform, "0.000")})"));
        return warnings;
    }

    // Share of the energy of x over [from, to) that is not in its band-limited version (none when there is none).
    private static double AboveBand(float[] x, float[] bandLimited, int from, int to)
    {
        if (bandLimited.Length == 0) return 0;
        double total = 0, above = 0;
        for (int i = from; i < to; i++)
        {
            double d = (double)x[i] - bandLimited[i];
            above += d * d;
            total += (double)x[i] * x[i];
        }

        return total > 0 ? Math.Min(1, above / total) : 0;
    }
}

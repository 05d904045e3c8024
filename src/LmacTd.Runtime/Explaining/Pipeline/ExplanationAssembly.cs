namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>Turns a finished offline timeline into the <see cref="Explanation"/> the caller gets.</summary>
internal static class ExplanationAssembly
{
    public static Explanation Of(ClipTimeline.OfflineOutput whole, Audio.AudioClip clip, Explainer explainer, StageTimings timings)
    {
        var manifest = explainer.Package.Manifest;
        int classes = manifest.LabelCount;
        // For long audio the prediction is the mean of the windows' probabilities; each window keeps its own.
        var mean = new float[classes];
        foreach (var w in whole.Windows)
        {
            for (int k = 0; k < classes; k++) mean[k] += w.Probabilities[k] / whole.Windows.Count;
        }

        return new Explanation(explainer.Package.Labels, mean, Math.Min(explainer.Options.TopK, classes))
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
        };
    }
}

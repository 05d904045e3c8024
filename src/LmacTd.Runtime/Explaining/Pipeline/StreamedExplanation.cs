
namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// Builds, from what an <see cref="ExplanationStream"/> hands out, the summary an offline <see cref="Explanation"/>
/// carries (prediction, windows with their above-band shares, evidence, warnings, the relevance curve) without keeping
/// the waveforms or the windows' maps: for a caller that writes the output samples away as they come (the CLI on long files).
/// </summary>
/// <remarks>
/// The prediction, shares, curve and warnings are made as <see cref="ExplanationAssembly"/> and
/// <see cref="TimeRelevance.Compute"/> make them, on the same sums taken piece by piece; the result's waveforms are
/// empty, so its <see cref="Explanation.DurationSeconds"/> and <see cref="Explanation.Relevance"/> are not to be used:
/// <see cref="DurationSeconds"/> and <see cref="Relevance"/> stand in for them.
/// </remarks>
internal sealed class StreamedExplanation
{
    private readonly Explainer _explainer;
    private readonly int _hop;
    private readonly HopEnergies _inputEnergy;
    private readonly HopEnergies _explanationEnergy;
    private readonly AboveBandMeter _band;
    private readonly List<ExplainedWindow> _windows = [];
    private float _peak;
    private TimeRelevance? _relevance;

    public StreamedExplanation(Explainer explainer, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(explainer);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        _explainer = explainer;
        SampleRate = sampleRate;
        _hop = Math.Max(1, (int)Math.Round(sampleRate * TimeRelevance.NominalHopSeconds));
        _inputEnergy = new HopEnergies(_hop);
        _explanationEnergy = new HopEnergies(_hop);
        var manifest = explainer.Package.Manifest;
        _band = new AboveBandMeter(sampleRate, manifest.SampleRate, manifest.ClipSamples);
    }

    /// <summary>The input's rate.</summary>
    public int SampleRate { get; }

    /// <summary>Input samples taken so far.</summary>
    public long Samples => _band.InputSamples;

    /// <summary>The input's duration in seconds.</summary>
    public double DurationSeconds => (double)Samples / SampleRate;

    /// <summary>The relevance curve, once <see cref="Finish"/> has run.</summary>
    public TimeRelevance Relevance => _relevance ?? throw new InvalidOperationException("the explanation is not finished");

    /// <summary>Takes the next input samples (the same ones written to the stream).</summary>
    public void AddInput(ReadOnlySpan<float> input)
    {
        foreach (var x in input) _peak = Math.Max(_peak, Math.Abs(x));
        _inputEnergy.Write(input);
        _band.Write(input);
    }

    /// <summary>Takes what the stream handed out.</summary>
    public void AddOutput(ExplanationChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        _explanationEnergy.Write(chunk.Explanation);
        var windows = chunk.Windows.Select(Compact).ToList();
        _windows.AddRange(windows);
        _band.Add(windows);
    }

    /// <summary>Once the stream is complete: the summary, with <paramref name="declaredFrames"/> for the truncation warning.</summary>
    public Explanation Finish(long? declaredFrames, StageTimings timings)
    {
        _band.Complete();
        _inputEnergy.Complete(Samples);
        _explanationEnergy.Complete(Samples);
        _relevance = Curve();
        var manifest = _explainer.Package.Manifest;
        int classes = manifest.LabelCount;
        var result = new Explanation(_explainer.Package.Labels, ExplanationAssembly.MeanProbabilities(_windows, classes),
            Math.Min(_explainer.Options.TopK, classes))
        {
            Interpreter = _explainer.Interpreter,
            Device = _explainer.Device,
            SampleRate = SampleRate,
            ModelSampleRate = manifest.SampleRate,
            ExplanationWaveform = [],
            MaskedOutWaveform = [],
            ModelRateExplanation = [],
            ModelRateMaskedOut = [],
            Windows = _windows,
            Timings = timings,
            AboveBandShare = _band.Share,
        };
        result.Warnings = ExplanationAssembly.Warnings(result, DurationSeconds,
            declaredFrames > Samples ? (double)declaredFrames.Value / SampleRate : null, _peak, manifest.SampleRate / 2);
        return result;
    }

    // The window without its maps (the mask and the evidence's map, about a megabyte each for the default model): the
    // metrics are taken first, as ExplainerOptions.KeepMaps off does, so the summary stays small however many windows.
    // A window already without maps (KeepMaps off) had its metrics taken with the map and is kept as it is.
    private static ExplainedWindow Compact(ExplainedWindow w) => w.Mask.Length == 0 && (w.Evidence?.Map.Length ?? 0) == 0
        ? w
        : new(w.Start, w.Length, w.NormalisationDivisor, w.Logits, [], w.MaskShape, w.Evidence, keepMaps: false)
        {
            ReconstructionError = w.ReconstructionError,
        };

    // The curve from the sums taken piece by piece, as TimeRelevance.Compute ends.
    private TimeRelevance Curve() =>
        TimeRelevance.FromEnergies(_hop, SampleRate, _inputEnergy.Sums, _explanationEnergy.Sums, _inputEnergy.Lengths);

}

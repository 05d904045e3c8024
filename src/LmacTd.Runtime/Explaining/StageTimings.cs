namespace LmacTd.Runtime.Explaining;

/// <summary>
/// Wall-clock time spent in each stage of one <see cref="Explainer"/> call. For a batch call the figures are
/// those of the whole batch, shared by its results.
/// </summary>
internal sealed record StageTimings
{
    /// <summary>Resampling to the model's rate, windowing and normalisation.</summary>
    public TimeSpan Prepare { get; init; }

    /// <summary>The log-mel front end on the input windows.</summary>
    public TimeSpan FrontEnd { get; init; }

    /// <summary>The classifier graph on the input windows.</summary>
    public TimeSpan Classifier { get; init; }

    /// <summary>The interpreter graph, plus the STFT, masking and inverse STFT for L-MAC.</summary>
    public TimeSpan Interpreter { get; init; }

    /// <summary>The front end and classifier on the explanations and masked-out signals (faithfulness evidence).</summary>
    public TimeSpan Evidence { get; init; }

    /// <summary>Overlap-add, scaling back to the input's level and resampling back to the input's rate.</summary>
    public TimeSpan Assemble { get; init; }

    /// <summary>The whole call.</summary>
    public TimeSpan Total { get; init; }

    /// <summary>The stages by name (camelCase) in milliseconds, for reports.</summary>
    public IReadOnlyDictionary<string, double> ToMilliseconds() => new Dictionary<string, double>
    {
        ["prepare"] = Prepare.TotalMilliseconds,
        ["frontEnd"] = FrontEnd.TotalMilliseconds,
        ["classifier"] = Classifier.TotalMilliseconds,
        ["interpreter"] = Interpreter.TotalMilliseconds,
        ["evidence"] = Evidence.TotalMilliseconds,
        ["assemble"] = Assemble.TotalMilliseconds,
        ["total"] = Total.TotalMilliseconds,
    };
}

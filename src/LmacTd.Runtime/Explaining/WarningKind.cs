namespace LmacTd.Runtime.Explaining;

/// <summary>What an <see cref="ExplanationWarning"/> is about.</summary>
public enum WarningKind
{
    /// <summary>The file holds less audio than its header declares (it was cut short).</summary>
    Truncated,

    /// <summary>The input is shorter than the model's front end needs to be meaningful (under 0.5 s).</summary>
    TooShort,

    /// <summary>The input's peak is not above one 16-bit step: silence, or dither only.</summary>
    NearSilent,

    /// <summary>Most of the input's energy lies above the model's band, which the classifier never hears.</summary>
    MostlyAboveBand,

    /// <summary>The decision is no more confident than twice the uniform probability.</summary>
    Unconfident,

    /// <summary>Written as 16-bit PCM, the outputs would have clipped: they were scaled down by one gain (the CLI's <c>--pcm16</c>).</summary>
    Clipping,
}

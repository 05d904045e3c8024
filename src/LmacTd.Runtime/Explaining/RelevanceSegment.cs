namespace LmacTd.Runtime.Explaining;

/// <summary>
/// One stretch of the input where <see cref="Explanation.RelevanceCurve"/> stays at or above 0.5: a part of the sound
/// the explanation keeps most of (<see cref="Explanation.Segments"/>).
/// </summary>
/// <param name="StartSeconds">Where the stretch starts, in seconds on the input's timeline.</param>
/// <param name="EndSeconds">Where it ends (exclusive), in seconds on the input's timeline.</param>
/// <param name="MeanScore">The mean relevance over the stretch's hops, in [0, 1].</param>
public sealed record RelevanceSegment(double StartSeconds, double EndSeconds, double MeanScore)
{
    /// <summary>The stretch's length in seconds.</summary>
    public double DurationSeconds => EndSeconds - StartSeconds;
}

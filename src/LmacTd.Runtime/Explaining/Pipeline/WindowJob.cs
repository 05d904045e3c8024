namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>One planned window of one timeline, waiting for the graphs: model-rate start, length, normalisation divisor.</summary>
internal sealed record WindowJob(ClipTimeline Owner, long Start, int Length, float Divisor);

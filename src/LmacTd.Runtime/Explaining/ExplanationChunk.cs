namespace LmacTd.Runtime.Explaining;

/// <summary>What one call of an <see cref="ExplanationStream"/> returns: the output that became final.</summary>
public sealed class ExplanationChunk
{
    internal ExplanationChunk(long start, float[] explanation, float[] maskedOut, IReadOnlyList<ExplainedWindow> windows, bool isFinal)
    {
        Start = start;
        Explanation = explanation;
        MaskedOut = maskedOut;
        Windows = windows;
        IsFinal = isFinal;
    }

    /// <summary>Index, in the stream's input samples, of the first sample of <see cref="Explanation"/>.</summary>
    public long Start { get; }

    /// <summary>The next samples of the explanation, at the stream's rate and the input's level (may be empty).</summary>
    public float[] Explanation { get; }

    /// <summary>The masked-out signal over the same samples.</summary>
    public float[] MaskedOut { get; }

    /// <summary>The windows explained during the call, in order (their <see cref="ExplainedWindow.Start"/> is at the model's rate).</summary>
    public IReadOnlyList<ExplainedWindow> Windows { get; }

    /// <summary>Whether this is the last chunk (returned by <see cref="ExplanationStream.Complete"/>).</summary>
    public bool IsFinal { get; }
}

namespace LmacTd.Runtime.Explaining;

/// <summary>Something about the input or the decision that makes the explanation less trustworthy.</summary>
/// <param name="Kind">What it is about, for programs.</param>
/// <param name="Message">One line for people, with the figures that raised it.</param>
public sealed record ExplanationWarning(WarningKind Kind, string Message)
{
    /// <summary>The message.</summary>
    public override string ToString() => Message;
}

namespace LmacTd.Runtime.Explaining;

/// <summary>One class with its probability.</summary>
/// <param name="Index">Class index.</param>
/// <param name="Label">Class label from the package.</param>
/// <param name="Probability">Softmax probability.</param>
public sealed record ClassScore(int Index, string Label, float Probability);

namespace LmacTd.Runtime.Packages;

/// <summary>The manifest's names of the interpreter kinds (<c>lmac-td</c>, <c>lmac-stft</c>).</summary>
public static class InterpreterNames
{
    /// <summary>The manifest key of <paramref name="kind"/>.</summary>
    public static string Of(InterpreterKind kind) => kind == InterpreterKind.LmacTd ? "lmac-td" : "lmac-stft";

    /// <summary>Parses a manifest key (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not one of the two names.</exception>
    public static InterpreterKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "lmac-td" => InterpreterKind.LmacTd,
        "lmac-stft" => InterpreterKind.LmacStft,
        _ => throw new ArgumentException($"unknown interpreter '{name}' (expected lmac-td or lmac-stft)", nameof(name)),
    };
}

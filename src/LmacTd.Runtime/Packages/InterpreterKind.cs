using LmacTd.Runtime.Interpreters;

namespace LmacTd.Runtime.Packages;

/// <summary>
/// A kind of interpreter, named by its manifest key (<c>lmac-td</c>, <c>lmac-stft</c>). The kinds this runtime
/// runs are listed by <see cref="All"/>; <see cref="Parse"/> accepts only those.
/// </summary>
public readonly record struct InterpreterKind
{
    internal InterpreterKind(string name) => Name = name;

    /// <summary>LMAC-TD: a time-domain mask over a learnt encoder, decoded to a waveform (<c>lmac-td</c>).</summary>
    public static InterpreterKind LmacTd { get; } = new("lmac-td");

    /// <summary>L-MAC: a mask over the magnitude STFT, turned back with the input's phase (<c>lmac-stft</c>).</summary>
    public static InterpreterKind LmacStft { get; } = new("lmac-stft");

    /// <summary>Every kind this runtime runs, in order of preference (the first a package holds is its default).</summary>
    public static IReadOnlyList<InterpreterKind> All => [.. InterpreterRegistry.All.Select(p => new InterpreterKind(p.Key))];

    /// <summary>The manifest key.</summary>
    public string Name { get; }

    /// <summary>The name people read in reports (<c>LMAC-TD</c>, <c>L-MAC</c>).</summary>
    public string DisplayName => InterpreterRegistry.Find(Name)?.DisplayName ?? Name;

    /// <summary>Parses a manifest key (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not a kind this runtime runs; the message lists those.</exception>
    public static InterpreterKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var plugin = InterpreterRegistry.Find(name.ToLowerInvariant())
            ?? throw new ArgumentException($"unknown interpreter '{name}' (expected {InterpreterRegistry.KeyList})", nameof(name));
        return new InterpreterKind(plugin.Key);
    }

    /// <summary>The manifest key.</summary>
    public override string ToString() => Name ?? "";
}

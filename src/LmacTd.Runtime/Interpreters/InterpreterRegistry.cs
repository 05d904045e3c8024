namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// The interpreter kinds this runtime runs, in order of preference. The manifest reader, the explainer and the
/// command line all look kinds up here and nowhere else.
/// </summary>
internal static class InterpreterRegistry
{
    private static readonly object Gate = new();
    private static InterpreterPlugin[] _all = [new LmacTdInterpreter(), new LmacStftInterpreter()];

    /// <summary>Every registered kind, most preferred first.</summary>
    public static IReadOnlyList<InterpreterPlugin> All => Volatile.Read(ref _all);

    /// <summary>The keys as a person reads them: "lmac-td, lmac-stft".</summary>
    public static string KeyList => string.Join(", ", All.Select(p => p.Key));

    /// <summary>The kind with manifest key <paramref name="key"/> (exact, lowercase), or null.</summary>
    public static InterpreterPlugin? Find(string key) => All.FirstOrDefault(p => p.Key == key);

    /// <summary>Adds a kind after the built-in ones (tests add doubles this way); a key may be registered once.</summary>
    public static void Register(InterpreterPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        lock (Gate)
        {
            if (Find(plugin.Key) is not null) return;
            Volatile.Write(ref _all, [.. _all, plugin]);
        }
    }
}

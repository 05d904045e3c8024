using System.Globalization;

namespace LmacTd.Benchmarks.Explaining;

/// <summary>
/// The <c>--name value</c> and <c>--flag</c> arguments of the explaining runs (<c>allocations</c>, <c>duration</c>,
/// <c>linearity</c>), read one way for all of them, numbers in the invariant culture.
/// </summary>
internal sealed class RunArgs(string[] args)
{
    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public string Get(string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) =>
        int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>The number after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double Double(string name, double fallback) =>
        double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="name"/> is given.</summary>
    public bool Flag(string name) => args.Contains(name);

    /// <summary><c>--model DIR</c>, by default the repository's <c>models/default</c>.</summary>
    public string Model => Get("--model", Path.Combine(BenchmarkPackages.RepositoryRoot, "models", "default"));
}

namespace LmacTd.Runtime.Tests.Metrics;

/// <summary>
/// The spec's section 6 written out a second time, plainly and apart from the code under test, for tests to compare
/// against: each formula as the specification states it, with LINQ in place of the library's loops.
/// </summary>
internal static class WrittenOutMetrics
{
    /// <summary>exp(x) / sum exp(x), shifted by the maximum.</summary>
    public static double[] Softmax(IEnumerable<double> x)
    {
        var v = x.ToArray();
        double max = v.Max();
        double sum = v.Sum(s => Math.Exp(s - max));
        return [.. v.Select(s => Math.Exp(s - max) / sum)];
    }

    /// <summary>Quantus' Gini: a = |m| (divided by max |m| when asked) + 1e-7, sorted, sum (2k - n - 1) a_k / (n sum a).</summary>
    public static double Gini(IReadOnlyList<float> map, bool normaliseByMax = false)
    {
        double max = normaliseByMax ? map.Max(v => Math.Abs((double)v)) : 1.0;
        var a = map.Select(v => (Math.Abs((double)v) / max) + 1e-7).OrderBy(v => v).ToArray();
        int n = a.Length;
        return a.Select((v, i) => ((2.0 * (i + 1)) - n - 1) * v).Sum() / (n * a.Sum());
    }

    /// <summary>Entropy (natural log) of |m| / sum |m|, zero shares left out.</summary>
    public static double Entropy(IReadOnlyList<float> map)
    {
        double total = map.Sum(v => Math.Abs((double)v));
        return -map.Select(v => Math.Abs((double)v) / total).Where(s => s > 0).Sum(s => s * Math.Log(s));
    }

    /// <summary>AI, AD, AG, FF and Fid-In of one clip as the spec writes them (c = first index of the largest p).</summary>
    public static (int C, double AI, double AD, double AG, double FF, double FidIn) Scores(IReadOnlyList<double> p, IReadOnlyList<double> q, IReadOnlyList<double> r)
    {
        int c = p.ToList().IndexOf(p.Max());
        int qArgmax = q.ToList().IndexOf(q.Max());
        return (c,
            q[c] > p[c] ? 100.0 : 0.0,
            100 * Math.Max(0, p[c] - q[c]) / (p[c] + 1e-10),
            100 * Math.Max(0, q[c] - p[c]) / (1 - p[c] + 1e-10),
            p[c] - r[c],
            qArgmax == c ? 1.0 : 0.0);
    }
}

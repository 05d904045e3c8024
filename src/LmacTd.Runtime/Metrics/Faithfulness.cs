using System;
using System.Collections.Generic;
using System.Linq;

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// Computes the paper's faithfulness metrics for one clip from three probability vectors and,
/// optionally, the explanation map.
/// </summary>
/// <remarks>
/// The formulas are those of the specification (section 6), in double precision:
/// <list type="bullet">
/// <item><description>AI = <c>100 * [q_c &gt; p_c]</c></description></item>
/// <item><description>AD = <c>100 * max(0, p_c - q_c) / (p_c + 1e-10)</c></description></item>
/// <item><description>AG = <c>100 * max(0, q_c - p_c) / (1 - p_c + 1e-10)</c></description></item>
/// <item><description>FF = <c>p_c - r_c</c></description></item>
/// <item><description>Fid-In = <c>[argmax q = c]</c></description></item>
/// <item><description>SPS = Gini index of the absolute map, COMP = entropy of its normalised absolute values.</description></item>
/// </list>
/// The reference implementation re-applies a softmax to the already-softmaxed probabilities inside
/// AD; <see cref="MetricConvention.Paper"/> (the default) follows the written formula instead, and
/// <see cref="MetricConvention.SpeechBrain"/> follows the recipe's code (see <see cref="MetricConvention"/>).
/// <c>c</c> is the first index of the largest <c>p</c> (ties go to the lower index), and the same rule gives
/// <c>argmax q</c>.
/// The map is the mask for L-MAC and <c>log1p |STFT(explanation)|</c> for LMAC-TD.
/// </remarks>
internal static class Faithfulness
{
    private const double Epsilon = 1e-10;

    /// <summary>Computes every metric for one clip.</summary>
    /// <param name="p">Softmax probabilities of the classifier on the input.</param>
    /// <param name="q">Softmax probabilities on the explanation (masked-in signal).</param>
    /// <param name="r">Softmax probabilities on the masked-out signal.</param>
    /// <param name="map">The explanation map for SPS and COMP; empty to leave them <see cref="double.NaN"/>.</param>
    /// <param name="convention">The formulas as written, or the recipe's code (AD's extra softmax, SPS's normalisation).</param>
    /// <returns>The clip's metrics.</returns>
    /// <exception cref="ArgumentException">The vectors are empty, differ in length or hold a non-finite value.</exception>
    public static FaithfulnessMetrics Compute(
        ReadOnlySpan<float> p,
        ReadOnlySpan<float> q,
        ReadOnlySpan<float> r,
        ReadOnlySpan<float> map = default,
        MetricConvention convention = MetricConvention.Paper)
    {
        CheckLengths(p.Length, q.Length, r.Length);
        int n = p.Length;
        // On the stack for class counts like ours: heap arrays here were garbage on every window.
        Span<double> wide = 3 * n <= 3072 ? stackalloc double[3 * n] : new double[3 * n];
        Widen(p, wide[..n]);
        Widen(q, wide.Slice(n, n));
        Widen(r, wide.Slice(2 * n, n));
        return Compute(wide[..n], wide.Slice(n, n), wide.Slice(2 * n, n), map, convention);
    }

    /// <summary>
    /// Computes every metric for one window from its evidence, under the convention the evidence was made for
    /// (<see cref="FaithfulnessEvidence.Convention"/>: under <see cref="MetricConvention.SpeechBrain"/> an L-MAC
    /// window's q, r and map are the recipe's).
    /// </summary>
    /// <param name="evidence">The window's evidence.</param>
    /// <returns>The window's metrics.</returns>
    public static FaithfulnessMetrics Of(FaithfulnessEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return Compute(evidence.P, evidence.Q, evidence.R, evidence.Map, evidence.Convention);
    }

    /// <summary>
    /// Computes every metric for one clip from double-precision probabilities (for example a softmax taken in
    /// double): AD and AG divide by <c>p_c</c> and <c>1 - p_c</c>, so they keep the precision they are given.
    /// </summary>
    /// <param name="p">Softmax probabilities of the classifier on the input.</param>
    /// <param name="q">Softmax probabilities on the explanation (masked-in signal).</param>
    /// <param name="r">Softmax probabilities on the masked-out signal.</param>
    /// <param name="map">The explanation map for SPS and COMP; empty to leave them <see cref="double.NaN"/>.</param>
    /// <param name="convention">The formulas as written, or the recipe's code (AD's extra softmax, SPS's normalisation).</param>
    /// <returns>The clip's metrics.</returns>
    /// <exception cref="ArgumentException">The vectors are empty, differ in length or hold a non-finite value, or the convention is unknown.</exception>
    public static FaithfulnessMetrics Compute(
        ReadOnlySpan<double> p,
        ReadOnlySpan<double> q,
        ReadOnlySpan<double> r,
        ReadOnlySpan<float> map = default,
        MetricConvention convention = MetricConvention.Paper)
    {
        if (!Enum.IsDefined(convention)) throw new ArgumentException($"Unknown metric convention {convention}.", nameof(convention));
        CheckLengths(p.Length, q.Length, r.Length);
        EnsureFinite(p, nameof(p));
        EnsureFinite(q, nameof(q));
        EnsureFinite(r, nameof(r));

        int c = Softmax.ArgMax(p);
        int qArgmax = Softmax.ArgMax(q);
        double pc = p[c];
        double qc = q[c];
        double rc = r[c];

        double ai = qc > pc ? 100.0 : 0.0;
        bool recipe = convention == MetricConvention.SpeechBrain;
        double ad = recipe ? RecipeAverageDrop(p, q, c) : 100.0 * Math.Max(0.0, pc - qc) / (pc + Epsilon);
        double ag = 100.0 * Math.Max(0.0, qc - pc) / (1.0 - pc + Epsilon);
        double ff = pc - rc;
        double fidIn = qArgmax == c ? 1.0 : 0.0;
        double sps = map.IsEmpty ? double.NaN : recipe ? Sparseness.GiniOfMaxNormalised(map) : Sparseness.Gini(map);
        double comp = map.IsEmpty ? double.NaN : Complexity.Entropy(map);

        return new FaithfulnessMetrics(c, pc, qc, rc, qArgmax, ai, ad, ag, ff, fidIn, sps, comp);
    }

    /// <summary>
    /// The metrics of a clip explained in several windows: each figure is the mean over the windows (so AI and
    /// Fid-In become the percentage and share of windows), and the class and <c>argmax q</c> are the ones most
    /// windows have (ties to the lower index). One window gives its own metrics back unchanged.
    /// </summary>
    /// <param name="windows">The windows' metrics, at least one.</param>
    /// <returns>The clip's metrics.</returns>
    public static FaithfulnessMetrics OfWindows(IReadOnlyList<FaithfulnessMetrics> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException("No windows to combine.", nameof(windows));
        if (windows.Count == 1) return windows[0];

        var set = new MetricSet();
        foreach (FaithfulnessMetrics w in windows) set.Add(w);
        return new FaithfulnessMetrics(
            Mode(windows.Select(w => w.ClassIndex)),
            windows.Average(w => w.PC),
            windows.Average(w => w.QC),
            windows.Average(w => w.RC),
            Mode(windows.Select(w => w.QArgmax)),
            set.AI,
            set.AD,
            set.AG,
            set.FF,
            set.FidIn,
            set.SPS,
            set.COMP);
    }

    // The recipe's compute_AD: a softmax over p and q again (they are probabilities already), then the formula.
    private static double RecipeAverageDrop(ReadOnlySpan<double> p, ReadOnlySpan<double> q, int c)
    {
        double pc = Softmax.OfDouble(p)[c];
        double qc = Softmax.OfDouble(q)[c];
        return 100.0 * Math.Max(0.0, pc - qc) / (pc + Epsilon);
    }

    private static void CheckLengths(int p, int q, int r)
    {
        if (p == 0)
        {
            throw new ArgumentException("The input's probability vector is empty.", nameof(p));
        }

        if (q != p || r != p)
        {
            throw new ArgumentException($"Probability vectors differ in length: p has {p}, q {q}, r {r}.");
        }
    }

    private static void Widen(ReadOnlySpan<float> values, Span<double> wide)
    {
        for (int i = 0; i < values.Length; i++)
        {
            wide[i] = values[i];
        }
    }

    private static void EnsureFinite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Probability vector '{name}' holds a non-finite value at index {i}.", name);
            }
        }
    }

    private static int Mode(IEnumerable<int> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}

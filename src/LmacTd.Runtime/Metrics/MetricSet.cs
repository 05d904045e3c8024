using System;
using System.Collections.Generic;

namespace LmacTd.Runtime.Metrics;

/// <summary>
/// Accumulates per-clip <see cref="FaithfulnessMetrics"/> and gives their means over a set, the
/// figures of the paper's table. Not thread-safe: add from one thread, or lock around it.
/// </summary>
internal sealed class MetricSet
{
    private readonly List<FaithfulnessMetrics> _clips = new();

    /// <summary>The clips added so far, in order.</summary>
    public IReadOnlyList<FaithfulnessMetrics> Clips => _clips;

    /// <summary>The number of clips added.</summary>
    public int Count => _clips.Count;

    /// <summary>Adds one clip's metrics.</summary>
    /// <param name="metrics">The clip's metrics.</param>
    public void Add(FaithfulnessMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _clips.Add(metrics);
    }

    /// <summary>Mean AI over the clips: the percentage of clips whose explanation raised <c>p_c</c>.</summary>
    public double AI => Mean(m => m.AI);

    /// <summary>Mean AD over the clips.</summary>
    public double AD => Mean(m => m.AD);

    /// <summary>Mean AG over the clips.</summary>
    public double AG => Mean(m => m.AG);

    /// <summary>Mean FF over the clips.</summary>
    public double FF => Mean(m => m.FF);

    /// <summary>Mean Fid-In over the clips: the share of clips whose explanation keeps the decision.</summary>
    public double FidIn => Mean(m => m.FidIn);

    /// <summary>Mean SPS over the clips that have a map (NaN values are left out).</summary>
    public double SPS => Mean(m => m.SPS);

    /// <summary>Mean COMP over the clips that have a map (NaN values are left out).</summary>
    public double COMP => Mean(m => m.COMP);

    private double Mean(Func<FaithfulnessMetrics, double> select)
    {
        double sum = 0.0;
        int n = 0;
        foreach (FaithfulnessMetrics clip in _clips)
        {
            double v = select(clip);
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }
}

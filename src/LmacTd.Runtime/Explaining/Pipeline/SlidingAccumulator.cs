using System.Buffers;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// Weighted overlap-add sums of the explanation and the masked-out signal over the stretch of the model-rate timeline
/// that is not yet final; <see cref="Release"/> hands the final part out as weighted means (zero where no window ran).
/// </summary>
internal sealed class SlidingAccumulator
{
    // Rented (the three of one length, from one bucket) and given back by Recycle: grown on every call to a window or
    // more, they were megabytes of large-object garbage per call.
    private double[] _expl = [];
    private double[] _out = [];
    private double[] _weight = [];
    private long _start;

    /// <summary>
    /// Adds one window's samples from <paramref name="start"/> on, each weighted by <paramref name="weights"/> (the
    /// window's output times <paramref name="scale"/>, its divisor).
    /// </summary>
    /// <remarks>
    /// A loop over spans rather than a call per sample: one slot lookup a window. Each sum is the same expression in
    /// the same order as a sample at a time (<c>weight * value * scale</c> in double), so the outputs are bit-identical.
    /// </remarks>
    public void Add(long start, ReadOnlySpan<double> weights, ReadOnlySpan<float> explanation, ReadOnlySpan<float> maskedOut, float scale)
    {
        int n = explanation.Length;
        if (n == 0) return;
        int i0 = Range(start, n);
        var e = _expl.AsSpan(i0, n);
        var o = _out.AsSpan(i0, n);
        var w = _weight.AsSpan(i0, n);
        weights = weights[..n];
        maskedOut = maskedOut[..n];
        for (int k = 0; k < n; k++)
        {
            double weight = weights[k];
            e[k] += weight * explanation[k] * scale;
            o[k] += weight * maskedOut[k] * scale;
            w[k] += weight;
        }
    }

    /// <summary>Sets one window's samples outright from <paramref name="start"/> on (a single window: nothing to weigh), times <paramref name="scale"/>.</summary>
    public void Set(long start, ReadOnlySpan<float> explanation, ReadOnlySpan<float> maskedOut, float scale)
    {
        int n = explanation.Length;
        if (n == 0) return;
        int i0 = Range(start, n);
        var e = _expl.AsSpan(i0, n);
        var o = _out.AsSpan(i0, n);
        maskedOut = maskedOut[..n];
        for (int k = 0; k < n; k++)
        {
            e[k] = explanation[k] * scale;  // the product in float, as the outputs always were
            o[k] = maskedOut[k] * scale;
        }

        _weight.AsSpan(i0, n).Fill(1);
    }

    /// <summary>The means over [<paramref name="from"/>, <paramref name="to"/>) into <paramref name="e"/> and <paramref name="o"/>; the stretch is then dropped.</summary>
    public void Release(long from, long to, Span<float> e, Span<float> o)
    {
        int n = (int)(to - from);
        e.Clear();
        o.Clear();
        // The held stretch [max(from, _start), min(to, _start + length)): the rest stays zero.
        long lo = Math.Max(from, _start), hi = Math.Min(to, _start + _expl.Length);
        if (hi > lo)
        {
            int k0 = (int)(lo - from), i0 = (int)(lo - _start), m = (int)(hi - lo);
            var sums = _expl.AsSpan(i0, m);
            var outs = _out.AsSpan(i0, m);
            var weights = _weight.AsSpan(i0, m);
            var de = e.Slice(k0, m);
            var dout = o.Slice(k0, m);
            for (int k = 0; k < m; k++)
            {
                double weight = weights[k];
                if (weight <= 0) continue;
                de[k] = (float)(sums[k] / weight);
                dout[k] = (float)(outs[k] / weight);
            }
        }

        Drop(to);
    }

    // The slot of start, with room for n samples from there.
    private int Range(long start, int n)
    {
        long offset = start - _start;
        if (offset < 0) throw new InvalidOperationException("a window landed on released output");
        long end = offset + n;
        if (end > _expl.Length)
        {
            int size = (int)Math.Max(4096, Math.Max(_expl.Length * 2L, end));
            _expl = Grow(_expl, size);
            _out = Grow(_out, size);
            _weight = Grow(_weight, size);
        }

        return (int)offset;
    }

    /// <summary>Gives the sums' storage back to the array pool, once nothing more will be added or released.</summary>
    public void Recycle()
    {
        foreach (var a in (double[][])[_expl, _out, _weight])
        {
            if (a.Length > 0) ArrayPool<double>.Shared.Return(a);
        }

        _expl = _out = _weight = [];
    }

    // A rented array of at least size, the old sums copied in and the rest zero (a rented array holds old values).
    private static double[] Grow(double[] old, int size)
    {
        var grown = ArrayPool<double>.Shared.Rent(size);
        old.CopyTo(grown, 0);
        Array.Clear(grown, old.Length, grown.Length - old.Length);
        if (old.Length > 0) ArrayPool<double>.Shared.Return(old);
        return grown;
    }

    private void Drop(long to)
    {
        int drop = (int)Math.Clamp(to - _start, 0, _expl.Length);
        if (drop > 0)
        {
            int keep = _expl.Length - drop;
            Array.Copy(_expl, drop, _expl, 0, keep);
            Array.Copy(_out, drop, _out, 0, keep);
            Array.Copy(_weight, drop, _weight, 0, keep);
            Array.Clear(_expl, keep, drop);
            Array.Clear(_out, keep, drop);
            Array.Clear(_weight, keep, drop);
            _start += drop;
        }

        // Release may pass beyond what was ever written (a silent stretch): the slots start there.
        if (to > _start) _start = to;
    }
}

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

    /// <summary>Adds one windowed sample (the window's output times its divisor, weighted).</summary>
    public void Add(long index, double weight, float explanation, float maskedOut, float scale)
    {
        int i = Slot(index);
        _expl[i] += weight * explanation * scale;
        _out[i] += weight * maskedOut * scale;
        _weight[i] += weight;
    }

    /// <summary>Sets a sample outright (a single window: nothing to weigh).</summary>
    public void Set(long index, float explanation, float maskedOut)
    {
        int i = Slot(index);
        _expl[i] = explanation;
        _out[i] = maskedOut;
        _weight[i] = 1;
    }

    /// <summary>The means over [<paramref name="from"/>, <paramref name="to"/>) into <paramref name="e"/> and <paramref name="o"/>; the stretch is then dropped.</summary>
    public void Release(long from, long to, Span<float> e, Span<float> o)
    {
        int n = (int)(to - from);
        e.Clear();
        o.Clear();
        int held = (int)Math.Clamp(_start + _expl.Length - from, 0, n);
        for (int k = 0; k < Math.Min(n, held); k++)
        {
            long index = from + k;
            if (index < _start) continue;
            int i = (int)(index - _start);
            if (_weight[i] <= 0) continue;
            e[k] = (float)(_expl[i] / _weight[i]);
            o[k] = (float)(_out[i] / _weight[i]);
        }

        Drop(to);
    }

    private int Slot(long index)
    {
        long offset = index - _start;
        if (offset < 0) throw new InvalidOperationException("a window landed on released output");
        if (offset >= _expl.Length)
        {
            int size = (int)Math.Max(4096, Math.Max(_expl.Length * 2L, offset + 1));
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

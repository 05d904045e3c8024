using System.Buffers;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// A growable run of samples whose storage is rented from the shared array pool and given back by
/// <see cref="Recycle"/>: the per-call scratch of a timeline (resampled pieces, outputs on their way out).
/// </summary>
/// <remarks>
/// Not a <see cref="List{T}"/>: a timeline lives for one call, and its lists grew by doubling to a clip's length every
/// call, about 2.4 MB of garbage for a 5 s clip at the default size (7.16 MB allocated for 4.72 MB returned); on a
/// machine where first touching fresh memory is dear (13 us a page on the KVM EPYC of benchmarks/RESULTS.md) that
/// garbage cost milliseconds per call. Rented storage is reused from call to call.
/// </remarks>
internal sealed class PooledSamples
{
    private float[] _data = [];

    /// <summary>Samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Sample <paramref name="index"/> (below <see cref="Count"/>).</summary>
    public float this[int index] => AsSpan()[index];

    /// <summary>The samples held.</summary>
    public Span<float> AsSpan() => _data.AsSpan(0, Count);

    /// <summary>Appends one sample.</summary>
    public void Add(float value)
    {
        if (Count == _data.Length) Reserve(Count + 1);
        _data[Count++] = value;
    }

    /// <summary>Extends the run by <paramref name="count"/> samples and returns them to be written (their values are undefined until then).</summary>
    public Span<float> Extend(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Reserve(checked(Count + count));
        var span = _data.AsSpan(Count, count);
        Count += count;
        return span;
    }

    /// <summary>Empties the run (the storage is kept for the next samples).</summary>
    public void Clear() => Count = 0;

    /// <summary>A copy of the samples held.</summary>
    public float[] ToArray() => AsSpan().ToArray();

    /// <summary>Gives the storage back to the pool; the run is then empty and may be used again.</summary>
    public void Recycle()
    {
        if (_data.Length > 0) ArrayPool<float>.Shared.Return(_data);
        _data = [];
        Count = 0;
    }

    private void Reserve(int size)
    {
        if (size <= _data.Length) return;
        var grown = ArrayPool<float>.Shared.Rent(Math.Max(size, Math.Max(1024, 2 * _data.Length)));
        AsSpan().CopyTo(grown);
        if (_data.Length > 0) ArrayPool<float>.Shared.Return(_data);
        _data = grown;
    }
}

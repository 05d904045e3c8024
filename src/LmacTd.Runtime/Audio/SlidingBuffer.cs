namespace LmacTd.Runtime.Audio;

/// <summary>The samples of a timeline from some absolute index on; what nothing will read again is dropped.</summary>
internal sealed class SlidingBuffer
{
    private float[] _data = new float[4096];
    private int _count;
    private long _start;

    /// <summary>Absolute index of the first sample held.</summary>
    public long Start => _start;

    /// <summary>Every sample held, from <see cref="Start"/> on.</summary>
    public ReadOnlySpan<float> Held => _data.AsSpan(0, _count);

    /// <summary>Absolute index one past the last sample held.</summary>
    public long End => _start + _count;

    public void Append(List<float> samples) => Append(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(samples));

    public void Append(ReadOnlySpan<float> samples)
    {
        if (_count + samples.Length > _data.Length)
        {
            var grown = new float[Math.Max(_data.Length * 2, _count + samples.Length)];
            _data.AsSpan(0, _count).CopyTo(grown);
            _data = grown;
        }

        samples.CopyTo(_data.AsSpan(_count));
        _count += samples.Length;
    }

    public ReadOnlySpan<float> Slice(long start, int length) => _data.AsSpan((int)(start - _start), length);

    public void TrimBefore(long index)
    {
        int drop = (int)Math.Clamp(index - _start, 0, _count);
        // Compact only when it frees at least half: copies stay linear in the audio's length.
        if (drop == 0 || drop < _count / 2) return;
        _data.AsSpan(drop, _count - drop).CopyTo(_data);
        _count -= drop;
        _start += drop;
    }
}

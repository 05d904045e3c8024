using System.Buffers;

namespace LmacTd.Runtime.Audio;

/// <summary>The samples of a timeline from some absolute index on; what nothing will read again is dropped.</summary>
internal sealed class SlidingBuffer
{
    // Rented, and given back by Recycle: a timeline's buffers grow to a window or two of audio on every call, which
    // left them as large-object garbage once per call.
    private float[] _data = [];
    private int _count;
    private long _start;

    /// <summary>Absolute index of the first sample held.</summary>
    public long Start => _start;

    /// <summary>Every sample held, from <see cref="Start"/> on.</summary>
    public ReadOnlySpan<float> Held => _data.AsSpan(0, _count);

    /// <summary>Absolute index one past the last sample held.</summary>
    public long End => _start + _count;

    public void Append(PooledSamples samples) => Append(samples.AsSpan());

    public void Append(ReadOnlySpan<float> samples)
    {
        if (_count + samples.Length > _data.Length)
        {
            var grown = ArrayPool<float>.Shared.Rent(Math.Max(4096, Math.Max(_data.Length * 2, _count + samples.Length)));
            _data.AsSpan(0, _count).CopyTo(grown);
            if (_data.Length > 0) ArrayPool<float>.Shared.Return(_data);
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

    /// <summary>Gives the storage back to the array pool once nothing will be read again; the buffer then holds nothing.</summary>
    public void Recycle()
    {
        if (_data.Length > 0) ArrayPool<float>.Shared.Return(_data);
        _data = [];
        _start += _count;
        _count = 0;
    }
}

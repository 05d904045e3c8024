namespace LmacTd.Runtime.Audio;

/// <summary>
/// A growable float buffer that grows only by what a decoder actually produced, never by what a header
/// claims, so a small file with a lying header cannot make the decoder reserve gigabytes.
/// </summary>
internal sealed class SampleBuffer
{
    private float[] _items;

    public SampleBuffer(int initialCapacity = 4096) => _items = new float[Math.Max(16, initialCapacity)];

    /// <summary>Samples appended so far.</summary>
    public int Count { get; private set; }

    /// <summary>A writable span of at least <paramref name="size"/> samples after the current end.</summary>
    public Span<float> GetSpan(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        long needed = (long)Count + size;
        if (needed > Array.MaxLength) throw new InvalidDataException("the decoded audio is longer than one array can hold");
        if (needed > _items.Length)
        {
            long grown = Math.Clamp(2L * _items.Length, needed, Array.MaxLength);
            Array.Resize(ref _items, (int)grown);
        }

        return _items.AsSpan(Count, size);
    }

    /// <summary>Marks <paramref name="count"/> samples written into the last <see cref="GetSpan"/> as valid.</summary>
    public void Advance(int count)
    {
        if (count < 0 || (long)Count + count > _items.Length) throw new ArgumentOutOfRangeException(nameof(count));
        Count += count;
    }

    /// <summary>Lets <paramref name="read"/> (array, offset, count) fill up to <paramref name="size"/> samples at the end; returns how many it gave.</summary>
    public int Append(Func<float[], int, int, int> read, int size)
    {
        GetSpan(size);
        int n = read(_items, Count, size);
        if (n > 0) Advance(n);
        return n;
    }

    /// <summary>Drops samples past <paramref name="count"/>.</summary>
    public void Truncate(int count) => Count = Math.Clamp(count, 0, Count);

    /// <summary>Hands the samples over as a <see cref="DecodedAudio"/>.</summary>
    public DecodedAudio ToDecoded(int channels, int sampleRate, long? declaredFrames) =>
        new(_items, Count / channels * channels, channels, sampleRate, declaredFrames);
}

namespace LmacTd.Runtime.Audio;

/// <summary>
/// A <see cref="Resampler"/> fed in chunks: each output sample is computed once every input sample it reads has
/// arrived (or the input has ended), by the very code the offline resampler uses, so the concatenated output equals
/// the offline one bit for bit. Keeps only the input the next outputs still read.
/// </summary>
internal sealed class StreamingResampler
{
    private readonly Resampler _resampler;
    private readonly bool _identity;
    private readonly double[]? _scratch;
    private readonly SlidingBuffer _buffer = new();
    private long _produced;
    private long _totalOutput = -1;

    public StreamingResampler(Resampler resampler)
    {
        _resampler = resampler;
        _identity = resampler.InputRate == resampler.OutputRate;
        _scratch = resampler.NewScratch();
    }

    /// <summary>Input samples received so far.</summary>
    public long Received => _buffer.End;

    /// <summary>Output samples handed out so far.</summary>
    public long Produced => _produced;

    public bool IsComplete => _totalOutput >= 0;

    public void Write(ReadOnlySpan<float> input)
    {
        if (IsComplete) throw new InvalidOperationException("the input has ended");
        _buffer.Append(input);
    }

    /// <summary>Marks the end of the input; the output then has <paramref name="totalOutput"/> samples in all.</summary>
    public void Complete(long totalOutput)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalOutput);
        _totalOutput = totalOutput;
    }

    /// <summary>Appends every output sample that can now be computed to <paramref name="sink"/>.</summary>
    public void Read(PooledSamples sink)
    {
        long received = Received;
        while (true)
        {
            long n = _produced;
            if (IsComplete ? n >= _totalOutput : (_identity ? n >= received : _resampler.LastInputNeeded(n) >= received)) break;
            float value = _identity
                ? (n < received ? _buffer.Slice(n, 1)[0] : 0f)
                : _resampler.Sample(n, _buffer.Held, _buffer.Start, received, _scratch);
            sink.Add(value);
            _produced++;
        }

        Trim();
    }

    private void Trim() =>
        _buffer.TrimBefore(_identity ? _produced : Math.Max(0, _resampler.FirstInputNeeded(_produced)));

    /// <summary>Gives the held input's storage back to the array pool, once no more output will be read.</summary>
    public void Recycle() => _buffer.Recycle();
}

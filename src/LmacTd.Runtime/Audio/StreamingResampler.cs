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
    private float[] _buffer = new float[1024];
    private int _count;
    private long _bufferStart;
    private long _produced;
    private long _totalOutput = -1;

    public StreamingResampler(Resampler resampler)
    {
        _resampler = resampler;
        _identity = resampler.InputRate == resampler.OutputRate;
        _scratch = resampler.NewScratch();
    }

    /// <summary>Input samples received so far.</summary>
    public long Received => _bufferStart + _count;

    /// <summary>Output samples handed out so far.</summary>
    public long Produced => _produced;

    public bool IsComplete => _totalOutput >= 0;

    public void Write(ReadOnlySpan<float> input)
    {
        if (IsComplete) throw new InvalidOperationException("the input has ended");
        if (_count + input.Length > _buffer.Length)
        {
            var grown = new float[Math.Max(_buffer.Length * 2, _count + input.Length)];
            _buffer.AsSpan(0, _count).CopyTo(grown);
            _buffer = grown;
        }

        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
    }

    /// <summary>Marks the end of the input; the output then has <paramref name="totalOutput"/> samples in all.</summary>
    public void Complete(long totalOutput)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalOutput);
        _totalOutput = totalOutput;
    }

    /// <summary>Appends every output sample that can now be computed to <paramref name="sink"/>.</summary>
    public void Read(List<float> sink)
    {
        long received = Received;
        while (true)
        {
            long n = _produced;
            if (IsComplete ? n >= _totalOutput : (_identity ? n >= received : _resampler.LastInputNeeded(n) >= received)) break;
            float value = _identity
                ? (n < received ? _buffer[(int)(n - _bufferStart)] : 0f)
                : _resampler.Sample(n, _buffer.AsSpan(0, _count), _bufferStart, received, _scratch);
            sink.Add(value);
            _produced++;
        }

        Trim();
    }

    private void Trim()
    {
        long keepFrom = _identity ? _produced : Math.Max(0, _resampler.FirstInputNeeded(_produced));
        int drop = (int)Math.Clamp(keepFrom - _bufferStart, 0, _count);
        // Compact only when it frees at least half: the copies stay linear in the input's length.
        if (drop == 0 || drop < _count / 2) return;
        _buffer.AsSpan(drop, _count - drop).CopyTo(_buffer);
        _count -= drop;
        _bufferStart += drop;
    }
}

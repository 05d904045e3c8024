using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// The above-band shares of <see cref="ExplanationAssembly"/> for audio that arrives in pieces: the input is taken to
/// the model's rate and back (as the offline timeline does) and compared with itself, sample by sample in order, so
/// the whole input's share is the offline one; each window's share is summed once its band-limited audio is in.
/// Memory: the input of the last few windows (the windows come back about one clip behind the input).
/// </summary>
internal sealed class AboveBandMeter
{
    private readonly Resampler? _forward;
    private readonly StreamingResampler? _toModel;
    private readonly StreamingResampler? _back;
    private readonly SlidingBuffer _input = new();
    private readonly SlidingBuffer _band = new();
    private readonly PooledSamples _piece = new();
    private readonly List<ExplainedWindow> _pending = [];
    private readonly double _ratio;
    private readonly long _keep;
    private long _compared;
    private long _held; // no window starting before this can be summed any more
    private double _total;
    private double _above;

    /// <param name="inputRate">The input's rate.</param>
    /// <param name="modelRate">The model's rate.</param>
    /// <param name="clipSamples">One window at the model's rate.</param>
    public AboveBandMeter(int inputRate, int modelRate, int clipSamples)
    {
        _ratio = (double)inputRate / modelRate;
        // Windows come back about one clip behind the input; three clips of input cover any still to come.
        _keep = (long)Math.Ceiling(3 * clipSamples * _ratio) + inputRate;
        if (inputRate == modelRate) return;
        _forward = new Resampler(inputRate, modelRate);
        _toModel = new StreamingResampler(_forward);
        _back = new StreamingResampler(new Resampler(modelRate, inputRate));
    }

    /// <summary>Input samples taken so far.</summary>
    public long InputSamples => _input.End;

    /// <summary>The whole input's share of energy above the model's band (0 at the model's rate).</summary>
    public double Share => _total > 0 ? Math.Min(1, _above / _total) : 0;

    /// <summary>Takes the next input samples.</summary>
    public void Write(ReadOnlySpan<float> input)
    {
        _input.Append(input);
        if (_toModel is null) return;
        _toModel.Write(input);
        Pass(complete: false);
    }

    /// <summary>Takes windows as the stream hands them out; their <see cref="ExplainedWindow.AboveBandShare"/> is set once known.</summary>
    public void Add(IReadOnlyList<ExplainedWindow> windows)
    {
        foreach (var w in windows)
        {
            if (_toModel is null) w.AboveBandShare = 0;
            else _pending.Add(w);
        }

        Settle(long.MaxValue);
    }

    /// <summary>Ends the input: the last band-limited samples and every pending window's share.</summary>
    public void Complete()
    {
        if (_toModel is null || _forward is null || _back is null) return;
        _toModel.Complete(_forward.OutputLength(checked((int)_input.End)));
        Pass(complete: true);
        Settle(_input.End);
        _piece.Recycle();
    }

    private void Pass(bool complete)
    {
        _piece.Clear();
        _toModel!.Read(_piece);
        _back!.Write(_piece.AsSpan());
        if (complete) _back.Complete(_input.End);
        _piece.Clear();
        _back.Read(_piece);
        _band.Append(_piece);
        // The same sums, in the same order, as the offline assembly's.
        var x = _input.Slice(_compared, (int)(_band.End - _compared));
        var b = _band.Slice(_compared, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - b[i];
            _above += d * d;
            _total += (double)x[i] * x[i];
        }

        _compared = _band.End;
        Settle(long.MaxValue);
    }

    // Sums each pending window whose band-limited audio is all in; then drops what no window can need.
    private void Settle(long length)
    {
        while (_pending.Count > 0)
        {
            var w = _pending[0];
            long from = (long)(w.Start * _ratio);
            long to = (long)Math.Min(length, (w.Start + w.Length) * _ratio);
            if (to > _band.End) break;
            w.AboveBandShare = from >= _held ? ShareOver(from, to) : null;
            _pending.RemoveAt(0);
        }

        long keepFrom = Math.Max(0, _input.End - _keep);
        if (_pending.Count > 0) keepFrom = Math.Min(keepFrom, (long)(_pending[0].Start * _ratio));
        keepFrom = Math.Min(keepFrom, _compared);
        _input.TrimBefore(keepFrom);
        _band.TrimBefore(keepFrom);
        _held = Math.Max(_held, keepFrom);
    }

    private double ShareOver(long from, long to)
    {
        var x = _input.Slice(from, (int)(to - from));
        var b = _band.Slice(from, x.Length);
        double total = 0, above = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - b[i];
            above += d * d;
            total += (double)x[i] * x[i];
        }

        return total > 0 ? Math.Min(1, above / total) : 0;
    }
}

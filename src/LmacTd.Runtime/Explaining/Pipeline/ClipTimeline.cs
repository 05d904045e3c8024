using System.Buffers;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// One clip's way through the explainer, fed in chunks of any size: input rate to model rate, the window plan,
/// each explained window overlap-added as it comes back, and the samples no later window can touch handed back at
/// the input's rate. Offline explaining and streaming both run through it, so they agree.
/// </summary>
/// <remarks>
/// The window plan is <see cref="WindowPlanner.Plan"/>'s, built as the audio arrives: a regular window at
/// <c>k * hop</c> is known once more than <c>k * hop + clip</c> samples are in; the last window, aligned to the
/// end, and the single padded window of audio no longer than a clip are known only at the end. A model-rate sample
/// is final once no pending or future window covers it: with <c>m</c> samples in, every sample before <c>m - clip</c>
/// (the earliest start of a window still to come), so output lags the input by one window.
/// Memory holds one window plus the pending jobs' audio, whatever the length.
/// </remarks>
internal sealed class ClipTimeline
{
    private readonly int _clip;
    private readonly int _hop;
    private readonly string _name;
    private readonly StreamingResampler _toModel;
    private readonly StreamingResampler _explToInput;
    private readonly StreamingResampler? _bandToInput;
    private readonly SlidingBuffer _input = new();
    private readonly PooledSamples _band = new();
    private readonly Resampler _forward;
    private readonly Queue<WindowJob> _jobs = new();
    private readonly SlidingBuffer _modelInput = new();
    private readonly SlidingAccumulator _acc = new();
    private readonly PooledSamples _modelSamples = new();
    private readonly PooledSamples _outExpl = new();
    private readonly PooledSamples _outMasked = new();
    private readonly List<ExplainedWindow> _windows = [];
    private readonly OfflineOutput? _offline;
    private float[] _release = [];
    private float[] _releaseOut = [];
    private long _inputSamples;
    private long _nextRegular;
    private long _final;
    private readonly Queue<long> _pendingStarts = new();
    private bool _ended;
    private bool _single;
    private bool _anyVoiced;

    /// <param name="inputRate">The input's sample rate.</param>
    /// <param name="modelRate">The model's sample rate.</param>
    /// <param name="clipSamples">One window at the model's rate.</param>
    /// <param name="overlap">Overlap of consecutive windows, as a fraction of one.</param>
    /// <param name="resamplers">The explainer's cached resamplers by (from, to) rate.</param>
    /// <param name="name">The audio's name for error messages.</param>
    /// <param name="wholeLength">
    /// For offline use, the input's whole length: the outputs, at both rates, are then written into arrays of their
    /// final size (<see cref="Whole"/>) instead of being handed out in pieces.
    /// </param>
    public ClipTimeline(int inputRate, int modelRate, int clipSamples, double overlap, Func<int, int, Resampler> resamplers,
        string? name, int? wholeLength = null)
    {
        InputRate = inputRate;
        _clip = clipSamples;
        _hop = Math.Max(1, clipSamples - (int)Math.Round(overlap * clipSamples));
        _name = name ?? "input";
        _forward = resamplers(inputRate, modelRate);
        _toModel = new StreamingResampler(_forward);
        var back = resamplers(modelRate, inputRate);
        _explToInput = new StreamingResampler(back);
        if (wholeLength is { } n)
        {
            _offline = new OfflineOutput(n, _forward.OutputLength(n), inputRate != modelRate);
            // The input as the model hears it, back at the input's rate: what lies above the model's band is the rest.
            if (inputRate != modelRate) _bandToInput = new StreamingResampler(back);
        }
    }

    public int InputRate { get; }

    /// <summary>Whether every window has come back and every output sample has been produced.</summary>
    public bool IsDone => _ended && _pendingStarts.Count == 0 && _explToInput.IsComplete && _jobs.Count == 0;

    /// <summary>Takes <paramref name="input"/> (any length): plans the windows it completes.</summary>
    public void Write(ReadOnlySpan<float> input)
    {
        if (_ended) throw new InvalidOperationException("the stream has been completed");
        for (int i = 0; i < input.Length; i++)
        {
            if (!float.IsFinite(input[i])) throw new ArgumentException($"{_name}: sample {_inputSamples + i} is {input[i]}; audio must be finite");
        }

        _inputSamples += input.Length;
        _input.Append(input);
        _toModel.Write(input);
        _modelSamples.Clear();
        _toModel.Read(_modelSamples);
        _modelInput.Append(_modelSamples);
        BandLimit();
        long m = _modelInput.End;
        while (_nextRegular + _clip < m)
        {
            Plan(_nextRegular, _clip);
            _nextRegular += _hop;
        }

        Advance();
    }

    /// <summary>Ends the input: plans the last window.</summary>
    /// <exception cref="ArgumentException">The audio is empty, too short for one model-rate sample, or silent.</exception>
    public void Complete()
    {
        if (_ended) return;
        if (_inputSamples == 0) throw new ArgumentException($"{_name}: the audio holds no samples");
        _toModel.Complete(_forward.OutputLength(checked((int)_inputSamples)));
        _modelSamples.Clear();
        _toModel.Read(_modelSamples);
        _modelInput.Append(_modelSamples);
        BandLimit(complete: true);
        long m = _modelInput.End;
        if (m == 0) throw new ArgumentException($"{_name}: too short to hold one sample at {_forward.OutputRate} Hz");
        _ended = true;
        if (m <= _clip)
        {
            _single = true;
            Plan(0, (int)m);
        }
        else
        {
            while (_nextRegular + _clip < m)
            {
                Plan(_nextRegular, _clip);
                _nextRegular += _hop;
            }

            Plan(m - _clip, _clip);
        }

        if (!_anyVoiced)
            throw new ArgumentException($"{_name}: the audio is silent (no sample above {SignedMaxNormalisation.Threshold} in magnitude)");
        Advance();
    }

    /// <summary>Hands over the windows planned since the last call.</summary>
    public void TakeJobs(List<WindowJob> sink)
    {
        while (_jobs.TryDequeue(out var job)) sink.Add(job);
    }

    /// <summary>The model-rate audio of <paramref name="job"/>, divided by its divisor, into <paramref name="row"/> (zero-padded).</summary>
    public void CopyWindow(WindowJob job, Span<float> row)
    {
        var src = _modelInput.Slice(job.Start, job.Length);
        float inv = 1f / job.Divisor;
        for (int i = 0; i < src.Length; i++) row[i] = src[i] * inv;
        row[src.Length..].Clear();
    }

    /// <summary>Takes back one explained window (in plan order) and produces the output it completes.</summary>
    public void Accept(WindowJob job, ReadOnlySpan<float> explanation, ReadOnlySpan<float> maskedOut, ExplainedWindow window)
    {
        (_offline?.Windows ?? _windows).Add(window);
        float scale = job.Divisor;
        // One window (input no longer than a clip): no overlap to weigh, just the level back.
        if (_single) _acc.Set(job.Start, explanation[..job.Length], maskedOut[..job.Length], scale);
        else _acc.Add(job.Start, WindowPlanner.Weights(job.Length), explanation[..job.Length], maskedOut[..job.Length], scale);

        _pendingStarts.Dequeue();
        Advance();
    }

    /// <summary>The input-rate output and the windows completed since the last call.</summary>
    public (float[] Explanation, float[] MaskedOut, long Start, ExplainedWindow[] Windows) TakeOutput()
    {
        long start = _explToInput.Produced - _outExpl.Count;
        var result = (_outExpl.ToArray(), _outMasked.ToArray(), start, _windows.ToArray());
        _outExpl.Clear();
        _outMasked.Clear();
        _windows.Clear();
        if (IsDone) RecycleOutputs();
        return result;
    }

    /// <summary>The whole outputs and every window, for a timeline made with its whole length, once <see cref="IsDone"/>.</summary>
    public OfflineOutput Whole => _offline is { } o && IsDone ? o : throw new InvalidOperationException("the timeline is not done");

    private void Plan(long start, int length)
    {
        float? divisor = SignedMaxNormalisation.TryDivisor(_modelInput.Slice(start, length));
        if (divisor is null) return;
        _anyVoiced = true;
        _jobs.Enqueue(new WindowJob(this, start, length, divisor.Value));
        _pendingStarts.Enqueue(start);
    }

    private void Advance()
    {
        long m = _modelInput.End;
        long pendingFrom = _pendingStarts.TryPeek(out var p) ? p : long.MaxValue;
        // Later windows: the next regular one, the end-aligned last one (it starts at m - clip or later) and those pending.
        long limit = _ended ? Math.Min(m, pendingFrom) : Math.Min(Math.Min(_nextRegular, m - _clip), pendingFrom);
        if (limit > _final)
        {
            int n = (int)(limit - _final);
            // Reused from call to call: a fresh pair of arrays per window would be large-object garbage.
            if (_release.Length < n)
            {
                Recycle(ref _release);
                Recycle(ref _releaseOut);
                _release = ArrayPool<float>.Shared.Rent(n);
                _releaseOut = ArrayPool<float>.Shared.Rent(n);
            }

            var expl = _release.AsSpan(0, n);
            var outs = _releaseOut.AsSpan(0, n);
            _acc.Release(_final, limit, expl, outs);
            _explToInput.Write(expl);
            if (_offline is { } o)
            {
                expl.CopyTo(o.ModelRateExplanation.AsSpan((int)_final));
                outs.CopyTo(o.ModelRateMaskedOut.AsSpan((int)_final));
            }

            _final = limit;
        }

        if (_ended && _pendingStarts.Count == 0 && !_explToInput.IsComplete)
        {
            _explToInput.Complete(_inputSamples);
        }

        long first = _explToInput.Produced;
        _explToInput.Read(_outExpl);
        // The masked-out signal is the input less the explanation at the input's rate: the two always add up to the
        // input, content above the model's band included (that part goes to the masked-out signal).
        var held = _input.Slice(first, (int)(_explToInput.Produced - first));
        var masked = _outMasked.Extend(held.Length);
        var explHeld = _outExpl.AsSpan()[^held.Length..];
        for (int i = 0; i < held.Length; i++) masked[i] = held[i] - explHeld[i];
        _input.TrimBefore(_explToInput.Produced);
        if (_offline is { } whole)
        {
            long at = _explToInput.Produced - _outExpl.Count;
            _outExpl.AsSpan().CopyTo(whole.Explanation.AsSpan((int)at));
            _outMasked.AsSpan().CopyTo(whole.MaskedOut.AsSpan((int)at));
            _outExpl.Clear();
            _outMasked.Clear();
        }
        _modelInput.TrimBefore(Math.Min(Math.Min(pendingFrom, _nextRegular), Math.Max(0, m - _clip)));
        if (IsDone) Recycle();
    }

    // Done: every buffer that only served the way through goes back to the array pools for the next timeline.
    private void Recycle()
    {
        _input.Recycle();
        _modelInput.Recycle();
        _toModel.Recycle();
        _explToInput.Recycle();
        _bandToInput?.Recycle();
        _acc.Recycle();
        _band.Recycle();
        _modelSamples.Recycle();
        // A stream's last outputs wait here for TakeOutput, which recycles them; an offline timeline has moved them.
        if (_offline is not null) RecycleOutputs();
        Recycle(ref _release);
        Recycle(ref _releaseOut);
    }

    private void RecycleOutputs()
    {
        _outExpl.Recycle();
        _outMasked.Recycle();
    }

    private static void Recycle(ref float[] rented)
    {
        if (rented.Length > 0) ArrayPool<float>.Shared.Return(rented);
        rented = [];
    }

    private void BandLimit(bool complete = false)
    {
        if (_bandToInput is null || _offline is null) return;
        _band.Clear();
        _bandToInput.Write(_modelSamples.AsSpan());
        if (complete) _bandToInput.Complete(_inputSamples);
        long at = _bandToInput.Produced;
        _bandToInput.Read(_band);
        _band.AsSpan().CopyTo(_offline.BandLimitedInput.AsSpan((int)at));
    }

    /// <summary>The outputs of an offline timeline, at their final sizes.</summary>
    internal sealed class OfflineOutput(int inputLength, int modelLength, bool bandLimited)
    {
        public float[] Explanation { get; } = new float[inputLength];

        public float[] MaskedOut { get; } = new float[inputLength];

        public float[] ModelRateExplanation { get; } = new float[modelLength];

        public float[] ModelRateMaskedOut { get; } = new float[modelLength];

        public List<ExplainedWindow> Windows { get; } = [];

        /// <summary>The input within the model's band, at the input's rate (empty when the rates are equal: all of it is).</summary>
        public float[] BandLimitedInput { get; } = bandLimited ? new float[inputLength] : [];
    }
}

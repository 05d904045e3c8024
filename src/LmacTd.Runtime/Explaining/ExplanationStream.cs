using LmacTd.Runtime.Explaining.Pipeline;

namespace LmacTd.Runtime.Explaining;

/// <summary>
/// Explains audio as it arrives (<see cref="Explainer.OpenStream"/>). <see cref="Write"/> takes chunks of any size and
/// returns what became final: explanation and masked-out samples at the input's rate, and each window as soon as the
/// graphs have explained it. <see cref="Complete"/> ends the audio and returns the rest. Concatenated, the outputs
/// equal <see cref="Explainer.Explain(Audio.AudioClip, CancellationToken)"/> of the same audio (to float precision:
/// only the graphs' batch sizes differ).
/// </summary>
/// <remarks>
/// <para>Latency: a window is explained as soon as the audio to its end has arrived, so the first comes after one
/// clip of the model (5 s for the default model) and the next every hop (half a clip with the default overlap), each
/// with its prediction (<see cref="ExplainedWindow.Probabilities"/>) and evidence. A sample is final once every window
/// that covers it has been explained, and a window may still start one clip before the newest sample: the explanation
/// comes out exactly one clip behind the input (plus the resamplers' few milliseconds when the rate is not the model's).</para>
/// <para>Memory stays that of one window plus the audio still waiting, however long the stream runs (set
/// <see cref="ExplainerOptions.KeepMaps"/> off to drop each window's mask after its metrics).</para>
/// <para>One writer at a time: calls are serialised. After a call fails (bad audio, cancellation, disposal of the
/// explainer) the stream is broken and further calls throw <see cref="InvalidOperationException"/>.</para>
/// </remarks>
public sealed class ExplanationStream
{
    private readonly Explainer _explainer;
    private readonly ClipTimeline _timeline;
    private readonly List<WindowJob> _jobs = [];
    private readonly object _lock = new();
    // One for the stream's life, not one per chunk (the stream reports no timings; the pipeline wants a clock).
    private readonly StageClock _clock = new();
    private long _written;
    private bool _completed;
    private Exception? _failure;

    internal ExplanationStream(Explainer explainer, ClipTimeline timeline)
    {
        _explainer = explainer;
        _timeline = timeline;
    }

    /// <summary>The sample rate of the audio written and of the output.</summary>
    public int SampleRate => _timeline.InputRate;

    /// <summary>Samples written so far.</summary>
    public long SamplesWritten => Volatile.Read(ref _written);

    /// <summary>Takes the next <paramref name="samples"/> and returns the output they complete (often none).</summary>
    /// <exception cref="ArgumentException">A sample is NaN or infinite (the message gives its index in the stream).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the stream is then broken.</exception>
    /// <exception cref="ObjectDisposedException">The explainer was disposed.</exception>
    public ExplanationChunk Write(ReadOnlySpan<float> samples, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Check();
            using var lease = _explainer.Enter(cancellationToken);
            try
            {
                _timeline.Write(samples);
                _written += samples.Length;
                _timeline.TakeJobs(_jobs);
                _explainer.Run(_jobs, _clock, lease.Token, wholeBatchesOnly: false);
                return Take(false);
            }
            catch (OperationCanceledException e)
            {
                throw Fail(lease.Translate(e, cancellationToken));
            }
            catch (Exception e)
            {
                throw Fail(e);
            }
        }
    }

    /// <summary>Ends the audio and returns the rest of the output (<see cref="ExplanationChunk.IsFinal"/> set).</summary>
    /// <exception cref="ArgumentException">The stream held no audio, or only silence.</exception>
    /// <inheritdoc cref="Write"/>
    public ExplanationChunk Complete(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Check();
            using var lease = _explainer.Enter(cancellationToken);
            try
            {
                _timeline.Complete();
                _timeline.TakeJobs(_jobs);
                _explainer.Run(_jobs, _clock, lease.Token, wholeBatchesOnly: false);
                _completed = true;
                return Take(true);
            }
            catch (OperationCanceledException e)
            {
                throw Fail(lease.Translate(e, cancellationToken));
            }
            catch (Exception e)
            {
                throw Fail(e);
            }
        }
    }

    private ExplanationChunk Take(bool final)
    {
        var (explanation, maskedOut, start, windows) = _timeline.TakeOutput();
        return new ExplanationChunk(start, explanation, maskedOut, windows, final);
    }

    private void Check()
    {
        if (_failure is not null) throw new InvalidOperationException($"the stream failed earlier: {_failure.Message}", _failure);
        if (_completed) throw new InvalidOperationException("the stream has been completed");
    }

    private Exception Fail(Exception e)
    {
        _failure = e;
        return e;
    }
}

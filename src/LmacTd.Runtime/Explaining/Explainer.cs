using System.Collections.Concurrent;
using System.Diagnostics;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Packages;
using static LmacTd.Runtime.Explaining.Pipeline.StageClock;

namespace LmacTd.Runtime.Explaining;

/// <summary>
/// Explains a classifier's decision on audio with one of the package's interpreters. Owns the ONNX sessions
/// (dispose it). One instance may be called from many threads at once; <see cref="Dispose"/> may come at any time:
/// calls in flight then stop and throw <see cref="ObjectDisposedException"/>, and the sessions are released only
/// after the last one has left.
/// </summary>
public sealed class Explainer : IDisposable
{
    internal ExplainerOptions Options { get; }
    private readonly PackageManifest _manifest;
    private readonly OnnxGraph _classifier;
    private readonly OnnxGraph? _interpreterGraph;
    private readonly WindowPipeline _pipeline;
    private readonly CallGate _gate = new();
    private readonly ConcurrentDictionary<(int From, int To), Resampler> _resamplers = new();
    private int _disposed;

    /// <summary>Opens the package's classifier and chosen interpreter and checks their inputs and outputs.</summary>
    /// <param name="package">A loaded model package.</param>
    /// <param name="options">Options; <see cref="ExplainerOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The package does not hold the interpreter asked for.</exception>
    /// <exception cref="ModelPackageException">A graph is missing, unreadable or does not match the manifest.</exception>
    /// <exception cref="InferenceException">CUDA was required and cannot be used, or no ONNX Runtime native library is present.</exception>
    public Explainer(ModelPackage package, ExplainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        options ??= ExplainerOptions.Default;
        options.Validate();
        Options = options;
        Package = package;
        _manifest = package.Manifest;
        Interpreter = options.Interpreter ?? _manifest.InterpreterKinds[0];
        if (!_manifest.Has(Interpreter))
            throw new ArgumentException($"package '{package.Name}' has no {Interpreter} interpreter", nameof(options));

        var spec = _manifest.Interpreter(Interpreter);
        var factory = new SessionFactory(options.Inference);
        _classifier = factory.Open(package.PathOf(_manifest.Classifier.File), _manifest.Classifier, Digest(_manifest.Classifier.File));
        try
        {
            _interpreterGraph = spec.Graph is { } g ? factory.Open(package.PathOf(g.File), g, Digest(g.File)) : null;
            var runner = InterpreterRegistry.Find(spec.Key)!.CreateRunner(spec, _manifest, _interpreterGraph);
            _pipeline = new WindowPipeline(_manifest, MelFilterbank.For(_manifest.FrontEnd), _classifier, runner, options);
        }
        catch
        {
            _interpreterGraph?.Dispose();
            _classifier.Dispose();
            throw;
        }

        Device = factory.Selection;
        SessionSettings = factory.Settings;
    }

    /// <summary>The ONNX Runtime settings the graphs were opened with.</summary>
    internal SessionSettings SessionSettings { get; }

    /// <summary>The package.</summary>
    public ModelPackage Package { get; }

    /// <summary>The interpreter in use.</summary>
    public InterpreterKind Interpreter { get; }

    /// <summary>The device the graphs run on and why.</summary>
    public DeviceSelection Device { get; }

    /// <summary>Explains mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentException">The audio is empty, silent or holds NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the current graph run stops.</exception>
    /// <exception cref="ObjectDisposedException">The explainer is, or was meanwhile, disposed.</exception>
    public Explanation Explain(ReadOnlySpan<float> samples, int sampleRate, CancellationToken cancellationToken = default) =>
        ExplainBatch([new AudioClip(samples.ToArray(), sampleRate)], cancellationToken)[0];

    /// <summary>Explains <paramref name="clip"/>.</summary>
    /// <inheritdoc cref="Explain(ReadOnlySpan{float}, int, CancellationToken)"/>
    public Explanation Explain(AudioClip clip, CancellationToken cancellationToken = default) => ExplainBatch([clip], cancellationToken)[0];

    /// <summary>Explains <paramref name="clip"/> on the thread pool.</summary>
    /// <inheritdoc cref="Explain(ReadOnlySpan{float}, int, CancellationToken)"/>
    public Task<Explanation> ExplainAsync(AudioClip clip, CancellationToken cancellationToken = default) =>
        Task.Run(() => Explain(clip, cancellationToken), cancellationToken);

    /// <summary>
    /// Explains several clips, the windows of all of them going through each graph in batches of at most
    /// <see cref="ExplainerOptions.MaxBatchSize"/>, overlap-added as they come out: memory beyond the clips and the
    /// results stays that of one batch, whatever the clips' lengths.
    /// </summary>
    /// <exception cref="ArgumentException">A clip is empty, silent or holds NaN or infinity (the message names it).</exception>
    /// <exception cref="InferenceException">A graph failed while running.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the current graph run stops.</exception>
    /// <exception cref="ObjectDisposedException">The explainer is, or was meanwhile, disposed.</exception>
    public IReadOnlyList<Explanation> ExplainBatch(IReadOnlyList<AudioClip> clips, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Select((c, i) => c is null ? i : -1).FirstOrDefault(i => i >= 0, -1) is var nul and >= 0)
            throw new ArgumentNullException(nameof(clips), $"clip {nul} is null");
        return Guarded(cancellationToken, token => ExplainClips(clips, token));
    }

    /// <summary>Explains several clips on the thread pool.</summary>
    /// <inheritdoc cref="ExplainBatch"/>
    public Task<IReadOnlyList<Explanation>> ExplainBatchAsync(IReadOnlyList<AudioClip> clips, CancellationToken cancellationToken = default) =>
        Task.Run(() => ExplainBatch(clips, cancellationToken), cancellationToken);

    /// <summary>
    /// Opens a stream that explains audio at <paramref name="sampleRate"/> Hz as it arrives (a microphone, a network
    /// stream, a file read in chunks). Its output, concatenated, is what <see cref="Explain(AudioClip, CancellationToken)"/>
    /// gives for the same audio; see <see cref="ExplanationStream"/> for the latency.
    /// </summary>
    /// <param name="sampleRate">The rate of the samples that will be written.</param>
    /// <param name="name">A name for error messages.</param>
    public ExplanationStream OpenStream(int sampleRate, string? name = null)
    {
        ObjectDisposedException.ThrowIf(_gate.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        return new ExplanationStream(this, NewTimeline(sampleRate, name, null));
    }

    /// <summary>Stops the calls in flight, waits for them to leave, then releases the ONNX sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _gate.Close();
        _interpreterGraph?.Dispose();
        _classifier.Dispose();
        _gate.Dispose();
    }

    /// <summary>Enters the gate that <see cref="Dispose"/> closes.</summary>
    internal CallGate.Lease Enter(CancellationToken cancellationToken) => _gate.Enter(this, cancellationToken);

    /// <summary>Runs <paramref name="work"/> inside the gate, translating a cancellation by disposal.</summary>
    private T Guarded<T>(CancellationToken cancellationToken, Func<CancellationToken, T> work)
    {
        using var lease = Enter(cancellationToken);
        try
        {
            return work(lease.Token);
        }
        catch (OperationCanceledException e)
        {
            throw lease.Translate(e, cancellationToken);
        }
    }

    /// <summary>Runs the windows <paramref name="jobs"/> holds (all, or only whole batches) through the graphs.</summary>
    internal void Run(List<WindowJob> jobs, StageClock clock, CancellationToken token, bool wholeBatchesOnly) =>
        _pipeline.Run(jobs, wholeBatchesOnly ? jobs.Count / Options.MaxBatchSize * Options.MaxBatchSize : jobs.Count, clock, token);

    internal ClipTimeline NewTimeline(int sampleRate, string? name, int? wholeLength) =>
        new(sampleRate, _manifest.SampleRate, _manifest.ClipSamples, Options.WindowOverlap,
            (from, to) => _resamplers.GetOrAdd((from, to), k => new Resampler(k.From, k.To)), name, wholeLength);

    private IReadOnlyList<Explanation> ExplainClips(IReadOnlyList<AudioClip> clips, CancellationToken token)
    {
        var clock = new StageClock();
        var timelines = new ClipTimeline[clips.Count];
        var jobs = new List<WindowJob>();
        for (int c = 0; c < clips.Count; c++)
        {
            var clip = clips[c];
            var timeline = timelines[c] = NewTimeline(clip.SampleRate, clip.Source, clip.Samples.Length);
            // A clip at a time: the timeline holds the pending batch and a clip (a batch at a time: 26 MB of garbage a call).
            int slice = (int)Math.Max(1, (long)_manifest.ClipSamples * clip.SampleRate / _manifest.SampleRate);
            for (int at = 0; at < clip.Samples.Length || at == 0; at += slice)
            {
                long t = Stopwatch.GetTimestamp();
                timeline.Write(clip.Samples.AsSpan(at, Math.Min(slice, clip.Samples.Length - at)));
                clock.Lap(Stage.Prepare, t);
                timeline.TakeJobs(jobs);
                Run(jobs, clock, token, wholeBatchesOnly: true);
                if (clip.Samples.Length == 0) break;
            }

            clock.Time(Stage.Prepare, timeline.Complete);
            timeline.TakeJobs(jobs);
            Run(jobs, clock, token, wholeBatchesOnly: true);
        }

        Run(jobs, clock, token, wholeBatchesOnly: false);
        var timings = clock.ToTimings();
        return [.. timelines.Select((t, c) => ExplanationAssembly.Of(t.Whole, clips[c], this, timings))];
    }

    private string? Digest(string file) => _manifest.Files.GetValueOrDefault(file)?.Sha256;
}

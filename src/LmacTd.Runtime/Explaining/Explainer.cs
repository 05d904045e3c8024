using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining;

/// <summary>
/// Explains a classifier's decision on audio with one of the package's interpreters. Owns the ONNX sessions
/// (dispose it); one instance may be called from many threads at once.
/// </summary>
public sealed class Explainer : IDisposable
{
    private static readonly string[] RepNames = ["rep6", "rep5", "rep4", "rep3"];
    private static readonly string[] LogitsOnly = ["logits"];

    private readonly ExplainerOptions _options;
    private readonly PackageManifest _manifest;
    private readonly MelFilterbank _filterbank;
    private readonly OnnxGraph _classifier;
    private readonly OnnxGraph _interpreter;
    private readonly bool _maskedMelDirect;
    private readonly ConcurrentBag<LmacStftReconstruction> _reconstructions = [];
    private int _disposed;

    /// <summary>Opens the package's classifier and chosen interpreter and checks their inputs and outputs.</summary>
    /// <param name="package">A loaded model package.</param>
    /// <param name="options">Options; <see cref="ExplainerOptions.Default"/> when null.</param>
    /// <exception cref="ModelPackageException">A graph is missing, unreadable or does not match the manifest.</exception>
    /// <exception cref="InferenceDeviceException">CUDA was required and cannot be used, or no ONNX Runtime native library is present.</exception>
    public Explainer(ModelPackage package, ExplainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        options ??= ExplainerOptions.Default;
        options.Validate();
        _options = options;
        Package = package;
        _manifest = package.Manifest;
        Interpreter = options.Interpreter ?? (_manifest.LmacTd is not null ? InterpreterKind.LmacTd : InterpreterKind.LmacStft);
        if (!_manifest.Has(Interpreter))
            throw new ArgumentException($"package '{package.Name}' has no {InterpreterNames.Of(Interpreter)} interpreter", nameof(options));

        _filterbank = MelFilterbank.For(_manifest.FrontEnd);
        _maskedMelDirect = _manifest.LmacStft is { } st && st.Stft == _manifest.FrontEnd.Stft;
        var factory = new SessionFactory(options.Inference);
        _classifier = factory.Open(package.PathOf(_manifest.Classifier.File), _manifest.Classifier, Digest(_manifest.Classifier.File));
        try
        {
            var spec = _manifest.InterpreterGraph(Interpreter);
            _interpreter = factory.Open(package.PathOf(spec.File), spec, Digest(spec.File));
        }
        catch
        {
            _classifier.Dispose();
            throw;
        }

        Device = factory.Selection;
    }

    /// <summary>The package.</summary>
    public ModelPackage Package { get; }

    /// <summary>The interpreter in use.</summary>
    public InterpreterKind Interpreter { get; }

    /// <summary>The device the graphs run on and why.</summary>
    public DeviceSelection Device { get; }

    /// <summary>Explains mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentException">The audio is empty, silent or holds NaN or infinity.</exception>
    public Explanation Explain(ReadOnlySpan<float> samples, int sampleRate) =>
        ExplainBatch([new AudioClip(samples.ToArray(), sampleRate)])[0];

    /// <summary>Explains <paramref name="clip"/>.</summary>
    /// <exception cref="ArgumentException">The audio is empty, silent or holds NaN or infinity.</exception>
    public Explanation Explain(AudioClip clip) => ExplainBatch([clip])[0];

    /// <summary>
    /// Explains several clips, every window of every clip going through each graph together (in batches of at most
    /// <see cref="ExplainerOptions.MaxBatchSize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A clip is empty, silent or holds NaN or infinity (the message names it).</exception>
    /// <exception cref="InferenceException">A graph failed while running.</exception>
    public IReadOnlyList<Explanation> ExplainBatch(IReadOnlyList<AudioClip> clips)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0) return [];
        var total = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();
        int L = _manifest.ClipSamples;

        // Prepare: model rate, windows, per-window normalisation.
        var prepared = new PreparedClip[clips.Count];
        var rows = new List<(int Clip, int Window)>();
        for (int c = 0; c < clips.Count; c++)
        {
            prepared[c] = Prepare(clips[c] ?? throw new ArgumentNullException(nameof(clips), $"clip {c} is null"));
            for (int w = 0; w < prepared[c].Windows.Length; w++)
            {
                if (prepared[c].Windows[w].Divisor is not null) rows.Add((c, w));
            }
        }

        int n = rows.Count;
        // Scratch that does not outlive the call is rented (graph runs read and write it through shaped slices, so a
        // longer rented array is fine); the shorter windows' zero padding needs the rows cleared.
        var wave = ArrayPool<float>.Shared.Rent(n * L);
        Array.Clear(wave, 0, n * L);
        for (int r = 0; r < n; r++)
        {
            var (c, w) = rows[r];
            var win = prepared[c].Windows[w];
            float inv = 1f / win.Divisor!.Value;
            var src = prepared[c].ModelRate.AsSpan(win.Start, win.Length);
            var dst = wave.AsSpan(r * L, L);
            for (int i = 0; i < src.Length; i++) dst[i] = src[i] * inv;
        }

        var tPrepare = stage.Elapsed;
        stage.Restart();

        // Front end and classifier on the input windows.
        int melItem = _manifest.FrontEnd.Frames * _manifest.FrontEnd.NMels;
        var logmel = ArrayPool<float>.Shared.Rent(n * melItem);
        var extractor = new LogMelExtractor(_manifest.FrontEnd, _filterbank);
        for (int r = 0; r < n; r++) extractor.Process(wave.AsSpan(r * L, L), logmel.AsSpan(r * melItem, melItem));
        var tFrontEnd = stage.Elapsed;
        stage.Restart();

        var logitsSpec = _manifest.Classifier.Output("logits");
        var logits = new float[n * logitsSpec.ItemElements];
        var reps = RepNames.Select(name => ArrayPool<float>.Shared.Rent(n * (int)_manifest.Classifier.Output(name).ItemElements)).ToArray();
        RunBatched(_classifier, n, ["logmel"], [logmel], ["logits", .. RepNames], [logits, .. reps]);
        var tClassifier = stage.Elapsed;
        stage.Restart();

        // Interpreter.
        var explanation = new float[n * L];
        var maskedOut = new float[n * L];
        float[] mask;
        int[] maskShape;
        float[]? inMag = null, outMag = null;
        int stftItem = 0;
        if (Interpreter == InterpreterKind.LmacTd)
        {
            var td = _manifest.LmacTd!;
            maskShape = [td.EncoderChannels, td.EncoderFrames];
            mask = new float[n * td.EncoderChannels * td.EncoderFrames];
            RunBatched(_interpreter, n, ["waveform", .. RepNames], [wave, .. reps], ["explanation", "masked_out", "mask"], [explanation, maskedOut, mask]);
        }
        else
        {
            var st = _manifest.LmacStft!;
            maskShape = [st.MaskFrames, st.MaskBins];
            int maskItem = st.MaskFrames * st.MaskBins;
            mask = new float[n * maskItem];
            RunBatched(_interpreter, n, RepNames, reps, ["mask"], [mask]);
            // Its six STFT planes are 5 MB: reuse them across calls (one instance per concurrent call).
            if (!_reconstructions.TryTake(out var recon)) recon = new LmacStftReconstruction(st, L);
            stftItem = recon.Frames * st.Stft.Bins;
            if (_options.ComputeEvidence && _maskedMelDirect)
            {
                // Scratch for the evidence front ends only (1.8 MB a clip): rented, returned after the evidence.
                inMag = ArrayPool<float>.Shared.Rent(n * stftItem);
                outMag = ArrayPool<float>.Shared.Rent(n * stftItem);
            }

            for (int r = 0; r < n; r++)
            {
                recon.Process(wave.AsSpan(r * L, L), mask.AsSpan(r * maskItem, maskItem),
                    explanation.AsSpan(r * L, L), maskedOut.AsSpan(r * L, L),
                    inMag is null ? Span<float>.Empty : inMag.AsSpan(r * stftItem, stftItem),
                    outMag is null ? Span<float>.Empty : outMag.AsSpan(r * stftItem, stftItem));
            }

            _reconstructions.Add(recon);
        }

        var tInterpreter = stage.Elapsed;
        stage.Restart();

        // Evidence: the classifier on explanations (rows 0..n-1) and masked-out signals (rows n..2n-1), one run.
        var evidence = new FaithfulnessEvidence?[n];
        if (_options.ComputeEvidence)
        {
            var mel2 = ArrayPool<float>.Shared.Rent(2 * n * melItem);
            int frames = _manifest.FrontEnd.Frames, bins = _manifest.FrontEnd.Stft.Bins;
            var maps = Interpreter == InterpreterKind.LmacTd ? new float[n][] : null;
            // The 2n front ends are independent and the graphs are idle meanwhile: spread them over the cores.
            Parallel.For(0, 2 * n, () => (Mel: new LogMelExtractor(_manifest.FrontEnd, _filterbank), Stft: (Stft?)null), (i, _, local) =>
            {
                int r = i % n;
                bool isExplanation = i < n;
                var dst = mel2.AsSpan(i * melItem, melItem);
                if (inMag is not null)
                {
                    local.Mel.ProcessMagnitudes((isExplanation ? inMag : outMag!).AsSpan(r * stftItem, stftItem), frames, dst);
                }
                else if (isExplanation && maps is not null)
                {
                    // The LMAC-TD map is log1p of the very STFT magnitude the front end takes of the explanation: take it once.
                    local.Stft ??= new Stft(_manifest.FrontEnd.Stft);
                    var map = new float[frames * bins];
                    var expl = explanation.AsSpan(r * L, L);
                    for (int t = 0; t < frames; t++) local.Stft.ProcessFrameMagnitude(expl, t, map.AsSpan(t * bins, bins));
                    local.Mel.ProcessMagnitudes(map, frames, dst);
                    for (int k = 0; k < map.Length; k++) map[k] = (float)Math.Log(1 + (double)map[k]);
                    maps[r] = map;
                }
                else
                {
                    local.Mel.Process((isExplanation ? explanation : maskedOut).AsSpan(r * L, L), dst);
                }

                return local;
            }, _ => { });

            int classes = (int)logitsSpec.ItemElements;
            var logits2 = new float[2 * n * classes];
            RunBatched(_classifier, 2 * n, ["logmel"], [mel2], LogitsOnly, [logits2]);
            ArrayPool<float>.Shared.Return(mel2);
            int maskItem = maskShape[0] * maskShape[1];
            for (int r = 0; r < n; r++)
            {
                float[] map;
                int[] mapShape;
                if (maps is not null)
                {
                    map = maps[r];
                    mapShape = [frames, bins];
                }
                else
                {
                    map = mask.AsSpan(r * maskItem, maskItem).ToArray();
                    mapShape = maskShape;
                }

                var lq = logits2.AsSpan(r * classes, classes).ToArray();
                var lr = logits2.AsSpan((n + r) * classes, classes).ToArray();
                evidence[r] = new FaithfulnessEvidence(Softmax.Of(logits.AsSpan(r * classes, classes)), Softmax.Of(lq), Softmax.Of(lr), lq, lr, map, mapShape);
            }
        }

        foreach (var scratch in reps.Append(wave).Append(logmel)) ArrayPool<float>.Shared.Return(scratch);
        if (inMag is not null) ArrayPool<float>.Shared.Return(inMag);
        if (outMag is not null) ArrayPool<float>.Shared.Return(outMag);
        var tEvidence = stage.Elapsed;
        stage.Restart();

        // Assemble each clip: windows back in place at the input's level, then at the input's rate.
        var results = new Explanation[clips.Count];
        var windowsOf = new List<ExplainedWindow>[clips.Count];
        for (int c = 0; c < clips.Count; c++) windowsOf[c] = [];
        int classCount = (int)logitsSpec.ItemElements;
        int maskElems = maskShape[0] * maskShape[1];
        for (int r = 0; r < n; r++)
        {
            var (c, w) = rows[r];
            var win = prepared[c].Windows[w];
            // A single window owns the whole mask buffer: hand it over rather than copy it.
            var windowMask = n == 1 ? mask : mask.AsSpan(r * maskElems, maskElems).ToArray();
            windowsOf[c].Add(new ExplainedWindow(win.Start, win.Length, win.Divisor!.Value,
                logits.AsSpan(r * classCount, classCount).ToArray(), windowMask, maskShape, evidence[r]));
        }

        var timings = new StageTimings
        {
            Prepare = tPrepare,
            FrontEnd = tFrontEnd,
            Classifier = tClassifier,
            Interpreter = tInterpreter,
            Evidence = tEvidence,
        };

        var assembled = new (float[] Expl, float[] Out, float[] ExplIn, float[] OutIn)[clips.Count];
        for (int c = 0; c < clips.Count; c++)
        {
            var p = prepared[c];
            var modelExpl = new float[p.ModelRate.Length];
            var modelOut = new float[p.ModelRate.Length];
            if (p.Windows.Length == 1)
            {
                // One window (input no longer than a clip): no overlap to weigh, just the level back.
                int r = rows.FindIndex(x => x.Clip == c);
                if (r >= 0)
                {
                    var win = p.Windows[0];
                    float scale = win.Divisor!.Value;
                    var e = explanation.AsSpan(r * L, win.Length);
                    var o = maskedOut.AsSpan(r * L, win.Length);
                    for (int i = 0; i < e.Length; i++)
                    {
                        modelExpl[win.Start + i] = e[i] * scale;
                        modelOut[win.Start + i] = o[i] * scale;
                    }
                }
            }
            else
            {
                OverlapAdd(p, c, rows, explanation, maskedOut, L, modelExpl, modelOut);
            }

            var clip = clips[c];
            float[] explIn, outIn;
            if (clip.SampleRate == _manifest.SampleRate)
            {
                explIn = modelExpl;
                outIn = modelOut;
            }
            else
            {
                var back = new Resampler(_manifest.SampleRate, clip.SampleRate);
                explIn = new float[clip.Samples.Length];
                outIn = new float[clip.Samples.Length];
                back.Process(modelExpl, explIn);
                back.Process(modelOut, outIn);
            }

            assembled[c] = (modelExpl, modelOut, explIn, outIn);
        }

        timings = timings with { Assemble = stage.Elapsed, Total = total.Elapsed };
        for (int c = 0; c < clips.Count; c++)
        {
            var ws = windowsOf[c];
            var mean = new float[classCount];
            foreach (var w in ws)
            {
                for (int k = 0; k < classCount; k++) mean[k] += w.Probabilities[k] / ws.Count;
            }

            results[c] = new Explanation(Package.Labels, mean, Math.Min(_options.TopK, classCount))
            {
                Interpreter = Interpreter,
                Device = Device,
                SampleRate = clips[c].SampleRate,
                ModelSampleRate = _manifest.SampleRate,
                ExplanationWaveform = assembled[c].ExplIn,
                MaskedOutWaveform = assembled[c].OutIn,
                ModelRateExplanation = assembled[c].Expl,
                ModelRateMaskedOut = assembled[c].Out,
                Windows = ws,
                Timings = timings,
            };
        }

        return results;
    }

    /// <summary>Releases the ONNX sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _interpreter.Dispose();
        _classifier.Dispose();
    }

    private static void OverlapAdd(PreparedClip p, int c, List<(int Clip, int Window)> rows, float[] explanation, float[] maskedOut, int L,
        float[] modelExpl, float[] modelOut)
    {
        var weight = new double[p.ModelRate.Length];
        var accE = new double[p.ModelRate.Length];
        var accO = new double[p.ModelRate.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Clip != c) continue;
            var win = p.Windows[rows[r].Window];
            float scale = win.Divisor!.Value;
            for (int i = 0; i < win.Length; i++)
            {
                double wt = WindowPlanner.Weight(i, win.Length);
                accE[win.Start + i] += wt * explanation[r * L + i] * scale;
                accO[win.Start + i] += wt * maskedOut[r * L + i] * scale;
                weight[win.Start + i] += wt;
            }
        }

        for (int i = 0; i < modelExpl.Length; i++)
        {
            if (weight[i] <= 0) continue;
            modelExpl[i] = (float)(accE[i] / weight[i]);
            modelOut[i] = (float)(accO[i] / weight[i]);
        }
    }

    private PreparedClip Prepare(AudioClip clip)
    {
        string name = clip.Source ?? "input";
        if (clip.Samples.Length == 0) throw new ArgumentException($"{name}: the audio holds no samples");
        int bad = Array.FindIndex(clip.Samples, x => !float.IsFinite(x));
        if (bad >= 0) throw new ArgumentException($"{name}: sample {bad} is {clip.Samples[bad]}; audio must be finite");

        var modelRate = clip.SampleRate == _manifest.SampleRate
            ? clip.Samples
            : new Resampler(clip.SampleRate, _manifest.SampleRate).Process(clip.Samples);
        if (modelRate.Length == 0) throw new ArgumentException($"{name}: too short to hold one sample at {_manifest.SampleRate} Hz");
        if (SignedMaxNormalisation.TryDivisor(modelRate) is null)
            throw new ArgumentException($"{name}: the audio is silent (no sample above {SignedMaxNormalisation.Threshold} in magnitude)");

        var plan = WindowPlanner.Plan(modelRate.Length, _manifest.ClipSamples, _options.WindowOverlap);
        var windows = plan.Select(w => new PlannedWindow(w.Start, w.Length,
            SignedMaxNormalisation.TryDivisor(modelRate.AsSpan(w.Start, w.Length)))).ToArray();
        return new PreparedClip(modelRate, windows);
    }

    private void RunBatched(OnnxGraph graph, int rows, string[] inNames, float[][] ins, string[] outNames, float[][] outs)
    {
        var inSpecs = inNames.Select(graph.Spec.Input).ToArray();
        var outSpecs = outNames.Select(graph.Spec.Output).ToArray();
        for (int r0 = 0; r0 < rows; r0 += _options.MaxBatchSize)
        {
            int b = Math.Min(_options.MaxBatchSize, rows - r0);
            graph.Run(inNames, [.. inSpecs.Select((s, i) => Slice(ins[i], s, r0, b))], outNames, [.. outSpecs.Select((s, i) => Slice(outs[i], s, r0, b))]);
        }
    }

    private string? Digest(string file) => _manifest.Files.TryGetValue(file, out var entry) ? entry.Sha256 : null;

    private static TensorBuffer Slice(float[] data, TensorSpec spec, int row, int count)
    {
        long item = spec.ItemElements;
        long[] shape = [count, .. spec.Shape.Skip(1)];
        return new TensorBuffer(data.AsMemory((int)(row * item), (int)(count * item)), shape);
    }

    private sealed record PlannedWindow(int Start, int Length, float? Divisor);

    private sealed record PreparedClip(float[] ModelRate, PlannedWindow[] Windows);
}

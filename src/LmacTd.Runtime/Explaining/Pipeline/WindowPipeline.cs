using System.Buffers;
using System.Diagnostics;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using static LmacTd.Runtime.Explaining.Pipeline.StageClock;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// Takes planned windows through the graphs, at most <see cref="ExplainerOptions.MaxBatchSize"/> at a time: front end,
/// classifier, interpreter, then the evidence (the classifier on each explanation and masked-out signal), and hands
/// each explained window back to its timeline. Thread-safe: concurrent calls share only the read-only graphs.
/// </summary>
internal sealed class WindowPipeline(PackageManifest manifest, MelFilterbank filterbank, OnnxGraph classifier,
    InterpreterRunner interpreter, ExplainerOptions options)
{
    private static readonly string[] LogMelInput = ["logmel"];
    private static readonly string[] ClassifierOutputs = ["logits", .. WindowBatch.RepresentationNames];

    private readonly EvidenceClassifier _evidenceClassifier = new(classifier, manifest.FrontEnd.Frames, options.MaxBatchSize);
    private readonly LogMelPool _logMels = new(manifest.FrontEnd, filterbank);
    private readonly BatchedRun _classifierRun = new(classifier, LogMelInput, ClassifierOutputs);
    private readonly WindowBatch.Layout _layout = WindowBatch.Layout.For(manifest, interpreter.MaskShape);

    /// <summary>Runs the first <paramref name="count"/> of <paramref name="jobs"/> (in order) and removes them.</summary>
    public void Run(List<WindowJob> jobs, int count, StageClock clock, CancellationToken cancellationToken)
    {
        for (int j0 = 0; j0 < count; j0 += options.MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(jobs, j0, Math.Min(options.MaxBatchSize, count - j0), clock, cancellationToken);
        }

        jobs.RemoveRange(0, count);
    }

    // The stages are timed by laps rather than StageClock.Time: its lambdas would be garbage on every batch.
    private void RunBatch(List<WindowJob> jobs, int first, int n, StageClock clock, CancellationToken ct)
    {
        using var batch = new WindowBatch(_layout, n, options.ComputeEvidence);
        try
        {
            long t = Stopwatch.GetTimestamp();
            for (int r = 0; r < n; r++) jobs[first + r].Owner.CopyWindow(jobs[first + r], batch.WaveRow(r));
            t = clock.Lap(Stage.Prepare, t);
            _logMels.ProcessRows(batch.Wave, batch.ClipSamples, n, batch.LogMel, ct);
            t = clock.Lap(Stage.FrontEnd, t);
            _classifierRun.Run(n, options.MaxBatchSize, batch.ClassifierInputs, batch.ClassifierOutputs, ct);
            t = clock.Lap(Stage.Classifier, t);
            interpreter.Run(batch, ct);
            t = clock.Lap(Stage.Interpreter, t);
            ct.ThrowIfCancellationRequested();
            FaithfulnessEvidence[]? evidence = null;
            if (options.ComputeEvidence)
            {
                evidence = Evidence(batch, ct);
                t = clock.Lap(Stage.Evidence, t);
            }

            for (int r = 0; r < n; r++)
            {
                var job = jobs[first + r];
                var window = new ExplainedWindow(job.Start, job.Length, job.Divisor, batch.LogitsRow(r).ToArray(),
                    options.KeepMaps ? batch.MaskRow(r).ToArray() : [], interpreter.MaskShape, evidence?[r], options.KeepMaps)
                {
                    ReconstructionError = ReconstructionError(batch, r, job.Length),
                };
                job.Owner.Accept(job, batch.ExplanationRow(r)[..job.Length], batch.MaskedOutRow(r)[..job.Length], window);
                if (!options.KeepMaps && evidence?[r] is { } used) interpreter.ReturnMap(used.Map);
            }

            clock.Lap(Stage.Assemble, t);
        }
        finally
        {
            interpreter.EndBatch(batch);
        }
    }

    // ||e + r - x|| / ||x|| over the window's real samples, in the interpreter's own (normalised) domain.
    private static double ReconstructionError(WindowBatch batch, int row, int length)
    {
        var x = batch.WaveRow(row)[..length];
        var e = batch.ExplanationRow(row)[..length];
        var o = batch.MaskedOutRow(row)[..length];
        double err = 0, energy = 0;
        for (int i = 0; i < length; i++)
        {
            double d = (double)e[i] + o[i] - x[i];
            err += d * d;
            energy += (double)x[i] * x[i];
        }

        return energy > 0 ? Math.Sqrt(err / energy) : 0;
    }

    private FaithfulnessEvidence[] Evidence(WindowBatch batch, CancellationToken ct)
    {
        int n = batch.Count, melItem = batch.LogMelItem, classes = batch.Classes;
        // Rows 0..n-1: the explanations; n..2n-1: the masked-out signals; one batched classifier run for both.
        var mel2 = ArrayPool<float>.Shared.Rent(2 * n * melItem);
        var maps = new float[]?[n];
        try
        {
            // The 2n front ends are independent and the graphs are idle meanwhile: spread them over the cores.
            // At most one task per core: each takes an extractor from the pool, which keeps two per core.
            var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(0, 2 * n, parallel, () => new FrontEndWorker(_logMels.Rent()),
                (i, _, worker) =>
                {
                    int r = i % n;
                    var map = interpreter.EvidenceFrontEnd(batch, r, i < n, worker, mel2.AsSpan(i * melItem, melItem));
                    if (i < n) maps[r] = map;
                    return worker;
                }, worker => _logMels.Return(worker.LogMel));
            var logits2 = new float[2 * n * classes];
            _evidenceClassifier.Run(mel2, 2 * n, manifest.FrontEnd.Frames, logits2, ct);
            var result = new FaithfulnessEvidence[n];
            for (int r = 0; r < n; r++)
            {
                var (map, shape) = interpreter.EvidenceMap(batch, r, maps[r]);
                var lq = logits2.AsSpan(r * classes, classes).ToArray();
                var lr = logits2.AsSpan((n + r) * classes, classes).ToArray();
                result[r] = new FaithfulnessEvidence(Softmax.Of(batch.LogitsRow(r)), Softmax.Of(lq), Softmax.Of(lr), lq, lr, map, shape);
            }

            if (options.MetricConvention == MetricConvention.SpeechBrain) interpreter.RecipeEvidence(batch, result, _evidenceClassifier, ct);
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(mel2);
        }
    }
}

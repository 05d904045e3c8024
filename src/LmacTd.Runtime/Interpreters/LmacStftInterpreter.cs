using System.Buffers;
using System.Collections.Concurrent;
using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// L-MAC: a graph from the representations to a mask over the magnitude STFT; our STFT and inverse STFT turn the
/// masked magnitudes back into waveforms with the input's phase.
/// </summary>
internal sealed class LmacStftInterpreter : InterpreterPlugin
{
    private const long B = TensorSpec.BatchDimension;

    public override string Key => "lmac-stft";

    public override string DisplayName => "L-MAC";

    public override InterpreterSpec Read(InterpreterEntry entry)
    {
        var (r, o, p) = (entry.Reader, entry.Element, entry.Path);
        var stft = r.ReadStft(r.Obj(o, "stft", p + "."), p + ".stft.");
        r.Guard(stft.Validate, p + ".stft");
        int maskFrames = r.Int(o, "maskFrames", p + ".", min: 1);
        int maskBins = r.Int(o, "maskBins", p + ".", min: 1);
        if (maskBins != stft.Bins) throw r.Fail($"{p}.maskBins is {maskBins}, but nFft/2 + 1 = {stft.Bins}");
        if (maskFrames > stft.FramesFor(entry.ClipSamples))
            throw r.Fail($"{p}.maskFrames is {maskFrames}, more than the STFT's {stft.FramesFor(entry.ClipSamples)} frames");
        var graph = r.ReadGraph(o, p, expectedInputs: entry.Representations, expectedOutputs: [("mask", [B, maskFrames, maskBins])]);
        return new LmacStftSpec(entry.Key, graph, stft, maskFrames, maskBins);
    }

    public override InterpreterRunner CreateRunner(InterpreterSpec spec, PackageManifest manifest, OnnxGraph? graph) =>
        new Runner((LmacStftSpec)spec, graph!, manifest);

    private sealed class Runner(LmacStftSpec spec, OnnxGraph graph, PackageManifest manifest) : InterpreterRunner
    {
        private static readonly string[] Outputs = ["mask"];

        // The same STFT as the front end's: the evidence's log-mel comes straight from the masked magnitudes.
        private readonly bool _melFromMagnitudes = spec.Stft == manifest.FrontEnd.Stft;

        // Its six STFT planes are 5 MB: reuse them across calls (one instance per concurrent batch).
        private readonly ConcurrentBag<LmacStftReconstruction> _reconstructions = [];

        private readonly BatchedRun _run = new(graph, WindowBatch.RepresentationNames, Outputs);

        public override int[] MaskShape { get; } = [spec.MaskFrames, spec.MaskBins];

        public override void Run(WindowBatch batch, CancellationToken cancellationToken)
        {
            _run.Run(batch.Count, batch.Count, batch.Representations, [batch.Mask], cancellationToken);
            if (!_reconstructions.TryTake(out var recon)) recon = new LmacStftReconstruction(spec, manifest.ClipSamples);
            try
            {
                int item = recon.Frames * spec.Stft.Bins;
                // Scratch for the evidence front ends only (1.8 MB a window): rented, given back in EndBatch.
                var mags = _melFromMagnitudes && batch.WantsEvidence ? new Magnitudes(item, ArrayPool<float>.Shared.Rent(batch.Count * item),
                    ArrayPool<float>.Shared.Rent(batch.Count * item)) : null;
                batch.InterpreterScratch = mags;
                for (int r = 0; r < batch.Count; r++)
                {
                    recon.Process(batch.WaveRow(r), batch.MaskRow(r), batch.ExplanationRow(r), batch.MaskedOutRow(r),
                        mags is null ? Span<float>.Empty : mags.In.AsSpan(r * item, item),
                        mags is null ? Span<float>.Empty : mags.Out.AsSpan(r * item, item));
                }
            }
            finally
            {
                _reconstructions.Add(recon);
            }
        }

        public override float[]? EvidenceFrontEnd(WindowBatch batch, int row, bool explanation, FrontEndWorker worker, Span<float> logMel)
        {
            if (batch.InterpreterScratch is not Magnitudes m) return base.EvidenceFrontEnd(batch, row, explanation, worker, logMel);
            worker.LogMel.ProcessMagnitudes((explanation ? m.In : m.Out).AsSpan(row * m.Item, m.Item), worker.Settings.Frames, logMel);
            return null;
        }

        // The recipe's evidence: the map M * log1p|X| and the masked spectrograms at the mask's frames.
        private readonly Lazy<RecipeLmacEvidence> _recipe = new(() => new RecipeLmacEvidence(spec, manifest.FrontEnd, MelFilterbank.For(manifest.FrontEnd)));

        public override void RecipeEvidence(WindowBatch batch, FaithfulnessEvidence[] evidence, EvidenceClassifier classifier, CancellationToken cancellationToken)
        {
            var maps = new float[evidence.Length][];
            var written = new float[evidence.Length][];
            for (int r = 0; r < evidence.Length; r++)
            {
                maps[r] = RentMap(spec.MaskFrames * spec.MaskBins);
                written[r] = evidence[r].Map;
            }

            _recipe.Value.Evidence(batch, evidence, classifier, maps, cancellationToken);
            // The written formulas' maps (copies of the masks) are no one's now: the next windows' maps.
            foreach (var map in written) ReturnMap(map);
        }

        public override void EndBatch(WindowBatch batch)
        {
            if (batch.InterpreterScratch is not Magnitudes m) return;
            ArrayPool<float>.Shared.Return(m.In);
            ArrayPool<float>.Shared.Return(m.Out);
            batch.InterpreterScratch = null;
        }

        private sealed record Magnitudes(int Item, float[] In, float[] Out);
    }
}

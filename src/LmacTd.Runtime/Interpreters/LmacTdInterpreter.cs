using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>LMAC-TD: one graph from the waveform and the representations to the explanation, masked-out signal and mask.</summary>
internal sealed class LmacTdInterpreter : InterpreterPlugin
{
    private const long B = TensorSpec.BatchDimension;

    public override string Key => "lmac-td";

    public override string DisplayName => "LMAC-TD";

    public override string Title(InterpreterSpec spec) =>
        $"LMAC-TD alpha {((LmacTdSpec)spec).Alpha.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}";

    public override InterpreterSpec Read(InterpreterEntry entry)
    {
        var (r, o, p) = (entry.Reader, entry.Element, entry.Path);
        var enc = r.Obj(o, "encoder", p + ".");
        int channels = r.Int(enc, "channels", p + ".encoder.", min: 1);
        int frames = r.Int(enc, "frames", p + ".encoder.", min: 1);
        int clip = entry.ClipSamples;
        var graph = r.ReadGraph(o, p,
            expectedInputs: [("waveform", [B, clip]), .. entry.Representations],
            expectedOutputs: [("explanation", [B, clip]), ("masked_out", [B, clip]), ("mask", [B, channels, frames])]);
        return new LmacTdSpec(entry.Key, graph, r.Dbl(o, "alpha", p + "."), channels, frames);
    }

    public override InterpreterRunner CreateRunner(InterpreterSpec spec, PackageManifest manifest, OnnxGraph? graph) =>
        new Runner((LmacTdSpec)spec, graph!, manifest);

    private sealed class Runner(LmacTdSpec spec, OnnxGraph graph, PackageManifest manifest) : InterpreterRunner
    {
        private static readonly string[] Inputs = ["waveform", .. WindowBatch.RepresentationNames];
        private static readonly string[] Outputs = ["explanation", "masked_out", "mask"];

        private readonly BatchedRun _run = new(graph, Inputs, Outputs);

        public override int[] MaskShape { get; } = [spec.EncoderChannels, spec.EncoderFrames];

        public override void Run(WindowBatch batch, CancellationToken cancellationToken) =>
            _run.Run(batch.Count, batch.Count, [batch.Wave, .. batch.Representations], [batch.Explanation, batch.MaskedOut, batch.Mask],
                cancellationToken);

        public override float[]? EvidenceFrontEnd(WindowBatch batch, int row, bool explanation, FrontEndWorker worker, Span<float> logMel)
        {
            if (!explanation) return base.EvidenceFrontEnd(batch, row, explanation, worker, logMel);
            // The map is log1p of the very STFT magnitude the front end takes of the explanation: take it once.
            int frames = manifest.FrontEnd.Frames, bins = manifest.FrontEnd.Stft.Bins;
            // Every value is written below, so a returned map needs no clearing.
            var map = RentMap(frames * bins);
            var expl = batch.ExplanationRow(row);
            worker.Stft.ProcessMagnitudes(expl, 0, frames, map);
            worker.LogMel.ProcessMagnitudes(map, frames, logMel);
            Features.Log1p.InPlace(map);
            return map;
        }

        public override (float[] Map, int[] Shape) EvidenceMap(WindowBatch batch, int row, float[]? fromFrontEnd) =>
            (fromFrontEnd!, [manifest.FrontEnd.Frames, manifest.FrontEnd.Stft.Bins]);
    }
}

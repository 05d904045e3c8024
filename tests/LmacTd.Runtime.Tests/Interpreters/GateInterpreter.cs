using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Interpreters;

/// <summary>
/// A third interpreter kind, as a test double: no graph of its own, its mask is a known gate in time (1 inside
/// [gateStart, gateEnd) seconds of each window, 0 elsewhere), so every output of the pipeline is known. The manifest
/// entry: <c>"test-gate": { "gateStart": 0.5, "gateEnd": 1.5 }</c>.
/// </summary>
internal sealed class GateInterpreter : InterpreterPlugin
{
    public const string Name = "test-gate";

    public override string Key => Name;

    public override string DisplayName => "gate (test double)";

    public override InterpreterSpec Read(InterpreterEntry entry)
    {
        double start = entry.Reader.Dbl(entry.Element, "gateStart", entry.Path + ".");
        double end = entry.Reader.Dbl(entry.Element, "gateEnd", entry.Path + ".");
        if (!(end >= start)) throw entry.Reader.Fail($"{entry.Path}: gateEnd must not be before gateStart");
        return new Spec(entry.Key, start, end);
    }

    public override InterpreterRunner CreateRunner(InterpreterSpec spec, PackageManifest manifest, OnnxGraph? graph) =>
        new Runner((Spec)spec, manifest);

    private sealed record Spec(string Key, double Start, double End) : InterpreterSpec(Key, null);

    private sealed class Runner(Spec spec, PackageManifest manifest) : InterpreterRunner
    {
        public override int[] MaskShape { get; } = [1, manifest.ClipSamples];

        public override void Run(WindowBatch batch, CancellationToken cancellationToken)
        {
            int from = (int)Math.Round(spec.Start * manifest.SampleRate), to = (int)Math.Round(spec.End * manifest.SampleRate);
            for (int r = 0; r < batch.Count; r++)
            {
                var wave = batch.WaveRow(r);
                var mask = batch.MaskRow(r);
                for (int i = 0; i < wave.Length; i++)
                {
                    float g = i >= from && i < to ? 1f : 0f;
                    mask[i] = g;
                    batch.ExplanationRow(r)[i] = g * wave[i];
                    batch.MaskedOutRow(r)[i] = (1 - g) * wave[i];
                }
            }
        }
    }
}

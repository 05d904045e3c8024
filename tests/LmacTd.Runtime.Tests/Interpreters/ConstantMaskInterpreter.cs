using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Interpreters;

/// <summary>
/// Test doubles with no graph whose mask is the same everywhere: <c>test-ones</c> (the explanation is the window,
/// nothing is masked out) and <c>test-zeros</c> (the reverse). With them every output of the pipeline is known: the
/// input band-limited to the model's band, or silence. Manifest entry: <c>"test-ones": {}</c>.
/// </summary>
internal sealed class ConstantMaskInterpreter(string key, float value) : InterpreterPlugin
{
    public const string OnesName = "test-ones";

    public const string ZerosName = "test-zeros";

    public static ConstantMaskInterpreter Ones { get; } = new(OnesName, 1f);

    public static ConstantMaskInterpreter Zeros { get; } = new(ZerosName, 0f);

    public override string Key => key;

    public override string DisplayName => $"constant {value} (test double)";

    public override InterpreterSpec Read(InterpreterEntry entry) => new Spec(entry.Key);

    public override InterpreterRunner CreateRunner(InterpreterSpec spec, PackageManifest manifest, OnnxGraph? graph) =>
        new Runner(value, manifest.ClipSamples);

    private sealed record Spec(string Key) : InterpreterSpec(Key, null);

    private sealed class Runner(float value, int clipSamples) : InterpreterRunner
    {
        public override int[] MaskShape { get; } = [1, clipSamples];

        public override void Run(WindowBatch batch, CancellationToken cancellationToken)
        {
            for (int r = 0; r < batch.Count; r++)
            {
                var wave = batch.WaveRow(r);
                batch.MaskRow(r).Fill(value);
                for (int i = 0; i < wave.Length; i++)
                {
                    batch.ExplanationRow(r)[i] = value * wave[i];
                    batch.MaskedOutRow(r)[i] = (1 - value) * wave[i];
                }
            }
        }
    }
}

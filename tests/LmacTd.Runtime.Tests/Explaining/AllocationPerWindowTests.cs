using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>Runs alone: the process-wide allocation counter must see this class's explainer only.</summary>
[CollectionDefinition(nameof(AllocationCounting), DisableParallelization = true)]
public sealed class AllocationCounting;

/// <summary>
/// What a long input costs in managed allocations beyond its sample arrays: explaining 2N windows allocates little more
/// than explaining N, the difference divided by N windows staying under a bound. A deterministic count, not a timing.
/// </summary>
/// <remarks>
/// Measured with the default model (benchmarks: <c>LmacTd.Benchmarks allocations</c>): about 3 KB a window at batch 8
/// and 10 KB at batch 1, the window's own results (logits, probabilities, evidence, metrics, about 1.5 KB) included;
/// before the front-end tools were reused, 225 KB. Here, on the tiny package: 2-12 KB. One map or mask array of the
/// tiny package is 320-880 KB, one log-mel extractor about 70 KB: any of those made per window again fails the bound.
/// </remarks>
[Collection(nameof(AllocationCounting))]
public class AllocationPerWindowTests(ITestOutputHelper output)
{
    private const long BoundPerWindow = 24 * 1024;

    public static TheoryData<string, int, int, MetricConvention> Cases() => new()
    {
        { "lmac-td", 1, 16000, MetricConvention.Paper },
        { "lmac-td", 4, 16000, MetricConvention.Paper },
        { "lmac-td", 2, 44100, MetricConvention.Paper },
        { "lmac-stft", 2, 16000, MetricConvention.Paper },
        { "lmac-stft", 1, 16000, MetricConvention.SpeechBrain },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Twice_the_windows_allocate_at_most_a_bound_per_extra_window_beyond_the_sample_arrays(string interpreter, int maxBatch, int rate,
        MetricConvention convention)
    {
        using var explainer = new Explainer(ModelPackage.Load(TestData.TinyPackage), new ExplainerOptions
        {
            Interpreter = InterpreterKind.Parse(interpreter),
            MaxBatchSize = maxBatch,
            KeepMaps = false,
            MetricConvention = convention,
            Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 },
        });
        // 30 s and 60 s: 11 and 23 windows of the tiny package's 5 s clip at half overlap.
        var shortClip = new AudioClip(TestData.Noise(30 * rate, 21, 0.5), rate);
        var longClip = new AudioClip(TestData.Noise(60 * rate, 22, 0.5), rate);
        // Warm-up with both lengths: one-time tables, and the array pool's buffers for every batch size either call rents.
        explainer.Explain(shortClip);
        explainer.Explain(longClip);

        var (shortBytes, shortWindows) = AllocatedBesidesSamples(explainer, shortClip);
        var (longBytes, longWindows) = AllocatedBesidesSamples(explainer, longClip);

        Assert.True(longWindows >= 2 * shortWindows, $"{longWindows} windows against {shortWindows}");
        long perWindow = (longBytes - shortBytes) / (longWindows - shortWindows);
        output.WriteLine($"{interpreter}, batch {maxBatch}, {rate} Hz, {convention}: {shortBytes} B for {shortWindows} windows, {longBytes} B for {longWindows}: {perWindow} B a window");
        Assert.True(perWindow <= BoundPerWindow, $"{perWindow} bytes allocated per extra window (bound {BoundPerWindow})");
    }

    // Managed bytes one call allocates, less the sample arrays it returns (their size follows the input by design).
    private static (long Bytes, int Windows) AllocatedBesidesSamples(Explainer explainer, AudioClip clip)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = explainer.Explain(clip);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long samples = sizeof(float) * (e.ExplanationWaveform.Length + e.MaskedOutWaveform.Length + e.ModelRateExplanation.Length
            + e.ModelRateMaskedOut.Length + (clip.SampleRate == e.ModelSampleRate ? 0 : clip.Samples.Length));
        return (allocated - samples, e.Windows.Count);
    }
}

using System.Globalization;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks.Explaining;

/// <summary>
/// <c>allocations [--seconds S] [--rate R] [--batch N] [--keep-maps] [--interpreter KEY] [--model DIR] [--alloc-types]</c>:
/// the managed bytes one explainer allocates per window in the steady state. It explains S and 2S seconds of the
/// synthetic mixture (after a warm-up call of each), takes the difference of the bytes allocated, less the returned
/// sample arrays, and divides by the difference in windows: what a long input adds per window, the fixed cost of a
/// call cancelling out. One line of JSON; with <c>--alloc-types</c>, the sampled allocations of the 2S call by type on stderr.
/// </summary>
internal static class AllocationsRun
{
    public static int Run(string[] args)
    {
        var a = new RunArgs(args);
        double seconds = a.Double("--seconds", 30);
        int rate = a.Int("--rate", 16000);
        int batch = a.Int("--batch", 8);
        bool keepMaps = a.Flag("--keep-maps");
        string model = a.Model;
        var package = ModelPackage.Load(model);
        using var explainer = new Explainer(package, new ExplainerOptions
        {
            KeepMaps = keepMaps,
            MaxBatchSize = batch,
            Interpreter = a.Get("--interpreter", "") is { Length: > 0 } key ? InterpreterKind.Parse(key) : null,
            Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 },
        });
        var shortClip = new AudioClip(DurationRun.Signal((int)(seconds * rate), rate), rate);
        var longClip = new AudioClip(DurationRun.Signal((int)(2 * seconds * rate), rate), rate);
        // Warm-up with both lengths, so the array pool holds every batch size either call rents.
        explainer.Explain(shortClip);
        explainer.Explain(longClip);
        var (shortBytes, shortWindows) = Measure(explainer, shortClip, null);
        using var sampler = a.Flag("--alloc-types") ? new AllocationSampler() : null;
        var (longBytes, longWindows) = Measure(explainer, longClip, sampler);
        double perWindow = (double)(longBytes - shortBytes) / (longWindows - shortWindows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"interpreter\": \"{explainer.Interpreter}\", \"rate\": {rate}, \"maxBatch\": {batch}, \"keepMaps\": {(keepMaps ? "true" : "false")}, " +
            $"\"seconds\": [{seconds}, {2 * seconds}], \"windows\": [{shortWindows}, {longWindows}], " +
            $"\"allocatedBesidesOutputs\": [{shortBytes}, {longBytes}], \"bytesPerWindow\": {perWindow:F0}}}"));
        if (sampler is not null)
        {
            foreach (var (type, bytes) in sampler.ByType.Take(30)) Console.Error.WriteLine($"{bytes,14:N0}  {type}");
        }

        return 0;
    }

    // Bytes allocated by one call, less the sample arrays it returns.
    private static (long Bytes, int Windows) Measure(Explainer explainer, AudioClip clip, AllocationSampler? sampler)
    {
        if (sampler is not null) sampler.On = true;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = explainer.Explain(clip);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        if (sampler is not null) sampler.On = false;
        long outputs = 4L * (e.ExplanationWaveform.Length + e.MaskedOutWaveform.Length + e.ModelRateExplanation.Length + e.ModelRateMaskedOut.Length
            + (clip.SampleRate == e.ModelSampleRate ? 0 : clip.Samples.Length));
        return (allocated - outputs, e.Windows.Count);
    }
}

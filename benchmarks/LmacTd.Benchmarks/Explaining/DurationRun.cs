using System.Diagnostics;
using System.Globalization;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks.Explaining;

/// <summary>
/// <c>duration --seconds S --rate R [--model DIR] [--keep-maps] [--batch N] [--threads N]</c>: one explanation of S seconds of a
/// synthetic mixture at R Hz in this process, then one line of JSON: the time, the peak working set (VmHWM) and the
/// bytes of the input and the two returned waveforms. Run once per case in a fresh process (benchmarks/duration.sh),
/// so each peak is that case's alone.
/// </summary>
internal static class DurationRun
{
    public static int Run(string[] args)
    {
        var a = new RunArgs(args);
        double seconds = a.Double("--seconds", 5);
        int rate = a.Int("--rate", 16000);
        int threads = a.Int("--threads", 2);
        string model = a.Model;
        bool keepMaps = a.Flag("--keep-maps");
        int batch = a.Int("--batch", 8);

        var package = ModelPackage.Load(model);
        using var explainer = new Explainer(package, new ExplainerOptions
        {
            KeepMaps = keepMaps,
            MaxBatchSize = batch,
            Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = threads },
        });
        var x = Signal((int)(seconds * rate), rate);
        long baseline = PeakBytes();
        using var sampler = a.Flag("--alloc-types") ? new AllocationSampler() : null;
        if (sampler is not null) sampler.On = true;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        // A clip over the caller's array: Explain(span, rate) would first copy the input.
        var e = explainer.Explain(new LmacTd.Runtime.Audio.AudioClip(x, rate));
        sw.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (sampler is not null)
        {
            sampler.On = false;
            foreach (var (type, bytes) in sampler.ByType.Take(25)) Console.Error.WriteLine($"{bytes,14:N0}  {type}");
        }

        // What the process still holds once garbage is gone: the results, the input, the sessions.
        long retained = GC.GetTotalMemory(forceFullCollection: true);
        // The input, the four returned waveforms and, away from the model's rate, the band-limited input the
        // explainer holds while it runs (for the above-band share).
        long sampleBytes = 4L * (x.Length + e.ExplanationWaveform.Length + e.MaskedOutWaveform.Length
            + e.ModelRateExplanation.Length + e.ModelRateMaskedOut.Length + (rate == package.Manifest.SampleRate ? 0 : x.Length));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"seconds\": {seconds}, \"rate\": {rate}, \"keepMaps\": {(keepMaps ? "true" : "false")}, \"maxBatch\": {batch}, \"windows\": {e.Windows.Count}, " +
            $"\"explainMs\": {sw.Elapsed.TotalMilliseconds:F0}, \"peakBytes\": {PeakBytes()}, \"peakBeforeExplainBytes\": {baseline}, " +
            $"\"sampleBufferBytes\": {sampleBytes}, \"managedAfterCollectBytes\": {retained}, \"allocatedBytes\": {allocated}, \"gen0Collections\": {GC.CollectionCount(0)}, \"label\": \"{e.Label}\", \"loadAverage\": \"{LoadAverage()}\"}}"));
        return 0;
    }

    // A deterministic mixture of tones, chirps and noise bursts: every window holds sound, none is silent.
    internal static float[] Signal(int n, int rate)
    {
        var rng = new Random(1);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / rate;
            x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (220 + 40 * Math.Sin(t)) * t) + 0.2 * Math.Sin(2 * Math.PI * 1250 * t)
                * (Math.Sin(2 * Math.PI * 0.3 * t) > 0 ? 1 : 0.1) + 0.05 * (rng.NextDouble() * 2 - 1));
        }

        return x;
    }

    // The 1, 5 and 15 minute load averages as the kernel gives them (the times are only as good as the machine is quiet).
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    private static long PeakBytes()
    {
        if (!File.Exists("/proc/self/status")) return Process.GetCurrentProcess().PeakWorkingSet64;
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}

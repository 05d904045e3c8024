using System.Diagnostics;
using System.Globalization;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks.Explaining;

/// <summary>
/// <c>linearity [--seconds 60,600] [--rounds 2] [--rate R] [--batch N] [--model DIR]</c>: whether the time of one
/// <c>Explain</c> grows linearly with the input's length. One explainer, warmed up on 5 s, explains each length in turn,
/// the lengths alternating round after round so that a change of load falls on all of them; one JSON line per call
/// (time, time per second of audio, the load average), then the median time per second of audio for each length.
/// </summary>
internal static class LinearityRun
{
    public static int Run(string[] args)
    {
        var a = new RunArgs(args);
        var lengths = a.Get("--seconds", "60,600").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int rounds = a.Int("--rounds", 2);
        int rate = a.Int("--rate", 16000);
        int batch = a.Int("--batch", 8);
        string model = a.Model;
        using var explainer = new Explainer(ModelPackage.Load(model), new ExplainerOptions
        {
            KeepMaps = false,
            MaxBatchSize = batch,
            Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 },
        });
        explainer.Explain(new AudioClip(DurationRun.Signal(5 * rate, rate), rate));
        var clips = lengths.Select(s => new AudioClip(DurationRun.Signal((int)(s * rate), rate), rate)).ToArray();
        var perSecond = lengths.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < clips.Length; k++)
            {
                string loadBefore = LoadAverage();
                var sw = Stopwatch.StartNew();
                var e = explainer.Explain(clips[k]);
                sw.Stop();
                perSecond[k].Add(sw.Elapsed.TotalSeconds / lengths[k]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"round\": {round}, \"seconds\": {lengths[k]}, \"rate\": {rate}, \"maxBatch\": {batch}, \"windows\": {e.Windows.Count}, " +
                    $"\"explainMs\": {sw.Elapsed.TotalMilliseconds:F0}, \"msPerAudioSecond\": {1000 * perSecond[k][^1]:F1}, " +
                    $"\"loadAverageBefore\": \"{loadBefore}\", \"loadAverageAfter\": \"{LoadAverage()}\"}}"));
            }
        }

        for (int k = 0; k < lengths.Length; k++)
        {
            var sorted = perSecond[k].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"seconds\": {lengths[k]}, \"medianMsPerAudioSecond\": {1000 * sorted[sorted.Length / 2]:F1}}}"));
        }

        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
}

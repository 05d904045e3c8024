using System.Diagnostics;
using System.Globalization;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Benchmarks.Compare;

/// <summary>
/// <c>precision --package A --package B [...] [--graphs F,F] [--rounds N] [--profile-rounds P] [--explain KIND|none]
/// [--threads T]</c>: the same graphs of packages that differ in precision (an fp32 package and its int8 twin), side by
/// side in one process: every graph run bare with our settings, rounds alternating and the order rotating; then
/// <c>Explain</c> the same way; then ONNX Runtime's profiler on each, medians per operator type and per node. Outputs
/// are compared with the first package's (SNR in dB; SI-SDR for the explanation).
/// </summary>
public static class PrecisionBench
{
    /// <summary>Entry point of the verb.</summary>
    public static int Run(string[] args)
    {
        var dirs = new List<string>();
        string? graphsArg = null, explainKind = "lmac-td";
        int threads = 2, rounds = 7, profileRounds = 5;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--package": dirs.Add(args[i + 1]); break;
                case "--graphs": graphsArg = args[i + 1]; break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--profile-rounds": profileRounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--explain": explainKind = args[i + 1] == "none" ? null : args[i + 1]; break;
                default: Console.Error.WriteLine($"precision: unknown option {args[i]}"); return 2;
            }
        }

        if (dirs.Count < 2)
        {
            Console.Error.WriteLine("precision: give at least two --package DIR (the first is the reference)");
            return 2;
        }

        var packages = dirs.Select(d => ModelPackage.Load(d, verifyDigests: false)).ToList();
        var m0 = packages[0].Manifest;
        var all = new[] { m0.Classifier }.Concat(m0.Interpreters.Values.Select(s => s.Graph).OfType<GraphSpec>()).ToList();
        var graphs = graphsArg is null ? all : all.Where(g => graphsArg.Split(',').Contains(g.File)).ToList();
        var inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = threads };
        Console.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {threads} threads, {rounds} alternating rounds; " +
                          $"packages: {string.Join(", ", packages.Select(p => $"{p.Name} ({Precision(p)})"))}");
        foreach (var g in graphs) TimeGraph(packages, g, inference, rounds);
        if (explainKind is not null) TimeExplain(packages, InterpreterKind.Parse(explainKind), inference, rounds);
        if (profileRounds > 0)
        {
            foreach (var g in graphs) ProfileGraph(packages, g, inference, profileRounds);
        }

        return 0;
    }

    private static string Precision(ModelPackage p) => p.Manifest.Precision;

    private static void TimeGraph(IReadOnlyList<ModelPackage> packages, GraphSpec spec, InferenceOptions inference, int rounds)
    {
        var runs = packages.Select(p => new GraphRun(p, spec, () => CompareServer.Tuned(inference), profile: null)).ToList();
        try
        {
            foreach (var r in runs) r.Run();
            var ms = runs.Select(_ => new List<double>()).ToList();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < runs.Count; k++)
                {
                    int p = (round + k) % runs.Count;
                    ms[p].Add(runs[p].Run());
                }
            }

            Console.WriteLine($"\n{spec.File} (batch 1): median ms over {rounds} alternating rounds, and each output's SNR against {packages[0].Name}'s");
            Console.WriteLine("| package | median ms | min ms | speed-up | " + string.Join(" | ", spec.Outputs.Select(o => $"{o.Name} SNR dB")) + " |");
            Console.WriteLine("|---|---:|---:|---:|" + string.Concat(spec.Outputs.Select(_ => "---:|")));
            double reference = ProfileTable.Median(ms[0]);
            for (int p = 0; p < runs.Count; p++)
            {
                double med = ProfileTable.Median(ms[p]);
                var snr = spec.Outputs.Select((_, o) => p == 0 ? "-" : Snr(runs[0].Output(o), runs[p].Output(o)).ToString("F1", CultureInfo.InvariantCulture));
                Console.WriteLine($"| {packages[p].Name} | {med:F1} | {ms[p].Min():F1} | {reference / med:F2} | {string.Join(" | ", snr)} |");
            }
        }
        finally
        {
            foreach (var r in runs) r.Dispose();
        }
    }

    private static void TimeExplain(IReadOnlyList<ModelPackage> packages, InterpreterKind kind, InferenceOptions inference, int rounds)
    {
        var explainers = packages.Select(p => new Explainer(p, new ExplainerOptions { Interpreter = kind, Inference = inference })).ToList();
        try
        {
            var rate = packages[0].Manifest.SampleRate;
            var clip = new AudioClip(TestSignals.Mixture(rate, 5.0), rate, 1, "mixture");
            var last = explainers.Select(e => e.Explain(clip)).ToList();
            var ms = explainers.Select(_ => new List<double>()).ToList();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < explainers.Count; k++)
                {
                    int p = (round + k) % explainers.Count;
                    var sw = Stopwatch.StartNew();
                    last[p] = explainers[p].Explain(clip);
                    ms[p].Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            Console.WriteLine($"\nExplain ({kind.Name}, 5 s mixture): median ms over {rounds} alternating rounds");
            Console.WriteLine("| package | median ms | min ms | speed-up | explanation SI-SDR dB | label |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|");
            double reference = ProfileTable.Median(ms[0]);
            for (int p = 0; p < explainers.Count; p++)
            {
                double med = ProfileTable.Median(ms[p]);
                var sdr = p == 0 ? "-" : SiSdr(last[0].ModelRateExplanation, last[p].ModelRateExplanation).ToString("F1", CultureInfo.InvariantCulture);
                Console.WriteLine($"| {packages[p].Name} | {med:F1} | {ms[p].Min():F1} | {reference / med:F2} | {sdr} | {last[p].Label} |");
            }
        }
        finally
        {
            foreach (var e in explainers) e.Dispose();
        }
    }

    private static void ProfileGraph(IReadOnlyList<ModelPackage> packages, GraphSpec spec, InferenceOptions inference, int rounds)
    {
        var outDir = Path.Combine(BenchmarkPackages.ArtifactsDirectory, "profiles", "precision");
        Directory.CreateDirectory(outDir);
        var runs = packages.Select((p, i) => new GraphRun(p, spec, () => CompareServer.Tuned(inference),
            profile: Path.Combine(outDir, $"{i}-{p.Name}-{Path.GetFileNameWithoutExtension(spec.File)}"))).ToList();
        var tables = new List<ProfileTable>();
        try
        {
            foreach (var r in runs) r.Run();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < runs.Count; k++) runs[(round + k) % runs.Count].Run();
            }

            tables.AddRange(runs.Select(r => ProfileTable.Read(r.EndProfiling(), skip: 1)));
        }
        finally
        {
            foreach (var r in runs) r.Dispose();
        }

        Console.WriteLine($"\n{spec.File}: kernel ms by operator type, median (least) of {rounds} alternating profiled runs");
        Console.WriteLine("| operator | " + string.Join(" | ", packages.Select(p => p.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(packages.Select(_ => "---:|")));
        var ops = tables.SelectMany(t => t.OpCounts.Keys).Distinct().OrderByDescending(op => tables.Max(t => t.OpMedian(op))).ToList();
        foreach (var op in ops)
        {
            Console.WriteLine($"| {op} | " + string.Join(" | ", tables.Select(t => t.OpCounts.TryGetValue(op, out var n) ? $"{t.OpMedian(op):F2} ({t.OpMin(op):F2}) x{n}" : "-")) + " |");
        }

        Console.WriteLine("| all kernels | " + string.Join(" | ", tables.Select(t => $"{t.TotalMedian():F2} ({t.TotalMin():F2})")) + " |");
        Console.WriteLine($"\n{spec.File}: the 12 slowest nodes of each package (median ms)");
        for (int p = 0; p < tables.Count; p++)
        {
            var top = tables[p].ByNode.SelectMany(r => r.Keys).Distinct().Select(k => (Key: k, Ms: tables[p].NodeMedian(k)))
                .OrderByDescending(x => x.Ms).Take(12);
            Console.WriteLine($"- {packages[p].Name}: " + string.Join("; ", top.Select(x => $"{x.Key.Replace('\t', ' ')} {x.Ms:F2}")));
        }
    }

    /// <summary>10 log10(|a|^2 / |a - b|^2).</summary>
    internal static double Snr(float[] a, float[] b)
    {
        double s = 0, e = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (double)a[i] * a[i];
            double d = (double)a[i] - b[i];
            e += d * d;
        }

        return 10 * Math.Log10((s + 1e-30) / (e + 1e-30));
    }

    /// <summary>Scale-invariant SDR of <paramref name="estimate"/> against <paramref name="reference"/> (means removed), in dB.</summary>
    internal static double SiSdr(float[] reference, float[] estimate)
    {
        int n = Math.Min(reference.Length, estimate.Length);
        double mr = 0, me = 0;
        for (int i = 0; i < n; i++)
        {
            mr += reference[i];
            me += estimate[i];
        }

        mr /= n;
        me /= n;
        double dot = 0, rr = 0;
        for (int i = 0; i < n; i++)
        {
            dot += (estimate[i] - me) * (reference[i] - mr);
            rr += (reference[i] - mr) * (reference[i] - mr);
        }

        double a = dot / (rr + 1e-12), t2 = 0, e2 = 0;
        for (int i = 0; i < n; i++)
        {
            double t = a * (reference[i] - mr);
            double e = estimate[i] - me - t;
            t2 += t * t;
            e2 += e * e;
        }

        return 10 * Math.Log10((t2 + 1e-12) / (e2 + 1e-12));
    }
}

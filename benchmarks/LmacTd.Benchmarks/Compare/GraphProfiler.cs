using System.Globalization;
using System.Text.Json;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Benchmarks.Compare;

/// <summary>
/// <c>profile --package DIR [--threads N] [--runs R]</c>: runs the classifier and each interpreter of a package with ONNX
/// Runtime's profiler on (our settings) and prints where the time goes, by operator type and by node, from the last run.
/// </summary>
public static class GraphProfiler
{
    /// <summary>Entry point of the verb.</summary>
    public static int Run(string[] args)
    {
        string? dir = null;
        int threads = 0, runs = 2;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--package": dir = args[i + 1]; break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"profile: unknown option {args[i]}"); return 2;
            }
        }

        if (dir is null)
        {
            Console.Error.WriteLine("profile: --package DIR is required");
            return 2;
        }

        var package = ModelPackage.Load(dir, verifyDigests: false);
        var m = package.Manifest;
        var graphs = new List<GraphSpec> { m.Classifier };
        graphs.AddRange(m.Interpreters.Values.Select(i => i.Graph).OfType<GraphSpec>());
        var outDir = Path.Combine(BenchmarkPackages.ArtifactsDirectory, "profiles", m.Name);
        Directory.CreateDirectory(outDir);
        foreach (var spec in graphs) Profile(package, spec, threads, runs, outDir);
        return 0;
    }

    private static void Profile(ModelPackage package, GraphSpec spec, int threads, int runs, string outDir)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // The prefix is read when profiling is switched on, so it goes first.
            ProfileOutputPathPrefix = Path.Combine(outDir, Path.GetFileNameWithoutExtension(spec.File)),
        };
        if (threads > 0) options.IntraOpNumThreads = threads;
        options.EnableProfiling = true;
        var rng = new Random(5);
        var values = new List<OrtValue>();
        string file;
        using (var session = new InferenceSession(package.PathOf(spec.File), options))
        {
            try
            {
                var inputs = spec.Inputs.Select(t =>
                {
                    var data = new float[t.ItemElements];
                    for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() - 0.5);
                    var v = OrtValue.CreateTensorValueFromMemory(data, [1, .. t.Shape.Skip(1)]);
                    values.Add(v);
                    return v;
                }).ToArray();
                var outputs = spec.Outputs.Select(t =>
                {
                    var v = OrtValue.CreateTensorValueFromMemory(new float[t.ItemElements], [1, .. t.Shape.Skip(1)]);
                    values.Add(v);
                    return v;
                }).ToArray();
                using var run = new RunOptions();
                for (int r = 0; r < runs; r++)
                {
                    session.Run(run, spec.Inputs.Select(t => t.Name).ToArray(), inputs, spec.Outputs.Select(t => t.Name).ToArray(), outputs);
                }
            }
            finally
            {
                foreach (var v in values) v.Dispose();
            }

            file = session.EndProfiling();
        }

        if (!Path.IsPathRooted(file) || Path.GetDirectoryName(Path.GetFullPath(file)) != Path.GetFullPath(outDir))
        {
            var moved = Path.Combine(outDir, Path.GetFileName(file));
            File.Move(file, moved, overwrite: true);
            file = moved;
        }

        Summarise(spec.File, file, runs);
    }

    private static void Summarise(string graph, string file, int runs)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        // Node events of the last run only: each run starts with a fresh "model_run" event.
        var events = doc.RootElement.EnumerateArray().ToList();
        int lastRunStart = events.FindLastIndex(e => e.TryGetProperty("name", out var n) && n.GetString() == "model_run");
        double runUs = lastRunStart >= 0 ? events[lastRunStart].GetProperty("dur").GetDouble() : double.NaN;
        long runTs = lastRunStart >= 0 ? events[lastRunStart].GetProperty("ts").GetInt64() : 0;
        var nodes = events.Where(e => e.GetProperty("cat").GetString() == "Node"
                                      && e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal)
                                      && e.GetProperty("ts").GetInt64() >= runTs)
            .Select(e => (Name: e.GetProperty("name").GetString()![..^"_kernel_time".Length],
                Op: e.GetProperty("args").TryGetProperty("op_name", out var op) ? op.GetString() ?? "?" : "?",
                Us: e.GetProperty("dur").GetDouble()))
            .ToList();
        double total = nodes.Sum(n => n.Us);
        Console.WriteLine($"\n{graph}: last of {runs} runs {runUs / 1000:F0} ms (kernels {total / 1000:F0} ms), profile {file}");
        Console.WriteLine("| op type | ms | share |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var g in nodes.GroupBy(n => n.Op).Select(g => (Op: g.Key, Us: g.Sum(x => x.Us), Count: g.Count())).OrderByDescending(g => g.Us).Take(10))
            Console.WriteLine($"| {g.Op} (x{g.Count}) | {g.Us / 1000:F0} | {100 * g.Us / total:F1} % |");
        Console.WriteLine("| top nodes | ms | share |");
        foreach (var n in nodes.OrderByDescending(n => n.Us).Take(8))
            Console.WriteLine($"| {n.Name} ({n.Op}) | {n.Us / 1000:F0} | {100 * n.Us / total:F1} % |");
    }
}

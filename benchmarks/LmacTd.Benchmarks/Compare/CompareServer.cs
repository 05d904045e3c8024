using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Benchmarks.Compare;

/// <summary>
/// The C# side of benchmarks/compare: a long-lived process that holds an explainer (and, if asked, the same graphs
/// on bare ONNX Runtime with our settings and with ONNX Runtime's defaults) and answers one JSON line per command line:
/// <c>clip PATH</c> (raw little-endian float32 mono at the model's rate), <c>explain [OUTPREFIX]</c>,
/// <c>run tuned|default|lean</c>, <c>stats</c>, <c>quit</c>.
/// </summary>
public static class CompareServer
{
    /// <summary>
    /// Runs the server: <c>serve --package DIR [--interpreter lmac-td|lmac-stft] [--threads N] [--sets explain,tuned,default,lean]
    /// [--device cpu|cuda|auto]</c>. A device that cannot be used is answered with one line <c>{"ready": false, "error": ...}</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        string? packageDir = null, interpreter = "lmac-td", sets = "explain";
        int threads = 0;
        var device = ExecutionDevice.Cpu;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--package": packageDir = args[i + 1]; break;
                case "--interpreter": interpreter = args[i + 1]; break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--sets": sets = args[i + 1]; break;
                case "--device": device = BenchmarkOptions.ParseDevice(args[i + 1]) ?? ExecutionDevice.Cpu; break;
                default: Console.Error.WriteLine($"serve: unknown option {args[i]}"); return 2;
            }
        }

        if (packageDir is null)
        {
            Console.Error.WriteLine("serve: --package DIR is required");
            return 2;
        }

        var kind = interpreter == "lmac-stft" ? InterpreterKind.LmacStft : InterpreterKind.LmacTd;
        var want = sets.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var sw = Stopwatch.StartNew();
        var package = ModelPackage.Load(packageDir, verifyDigests: false);
        var m = package.Manifest;
        var inference = new InferenceOptions
        {
            Device = device,
            IntraOpThreads = threads,
            // LMACTD_SPIN=1: ONNX Runtime's threads spin while waiting (InferenceOptions.AllowSpinning; off by default).
            AllowSpinning = Environment.GetEnvironmentVariable("LMACTD_SPIN") == "1",
        };
        Explainer? explainer;
        DeviceSelection selection;
        try
        {
            // The explainer settles the device (auto: CUDA, else the CPU, with the reason); the bare sets follow it.
            explainer = want.Contains("explain") ? new Explainer(package, new ExplainerOptions { Interpreter = kind, Inference = inference }) : null;
            selection = explainer?.Device ?? new SessionFactory(inference).Selection;
        }
        catch (InferenceException e)
        {
            Reply(new Dictionary<string, object?> { ["ready"] = false, ["error"] = e.Message });
            return 3;
        }

        double explainerOpenMs = sw.Elapsed.TotalMilliseconds;
        bool cuda = selection.Device == ExecutionDevice.Cuda;
        var raw = new Dictionary<string, RawGraphSet>();
        if (want.Contains("tuned")) raw["tuned"] = new RawGraphSet(package, kind, () => OnDevice(Tuned(inference), cuda));
        if (want.Contains("default")) raw["default"] = new RawGraphSet(package, kind, () => OnDevice(Default(threads), cuda));
        if (want.Contains("lean")) raw["lean"] = new RawGraphSet(package, kind, () => OnDevice(Lean(inference), cuda));

        using var defaults = new SessionOptions();
        Reply(new Dictionary<string, object?>
        {
            ["ready"] = true,
            ["package"] = package.Directory,
            ["interpreter"] = kind.Name,
            ["sets"] = want.ToArray(),
            ["threads"] = threads,
            ["device"] = selection.Name,
            ["deviceReason"] = selection.Reason,
            ["openMs"] = sw.Elapsed.TotalMilliseconds,
            ["explainerOpenMs"] = explainerOpenMs,
            ["ortVersion"] = OrtEnv.Instance().GetVersionString(),
            ["ortDefaultOptimization"] = defaults.GraphOptimizationLevel.ToString(),
            ["ortDefaultIntraOpThreads"] = defaults.IntraOpNumThreads,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        });

        AudioClip? clip = null;
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 0) continue;
            try
            {
                switch (parts[0])
                {
                    case "clip":
                        var samples = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(parts[1])).ToArray();
                        clip = new AudioClip(samples, m.SampleRate, 1, parts[1]);
                        var padded = new float[m.ClipSamples];
                        float div = SignedMaxNormalisation.TryDivisor(samples) ?? throw new ArgumentException("silent clip");
                        for (int i = 0; i < Math.Min(samples.Length, padded.Length); i++) padded[i] = samples[i] / div;
                        foreach (var set in raw.Values) set.SetClip(padded);
                        Reply(new Dictionary<string, object?> { ["ok"] = true, ["samples"] = samples.Length, ["divisor"] = div });
                        break;
                    case "explain":
                        Reply(Explain(explainer ?? throw new InvalidOperationException("no explainer (--sets)"),
                            clip ?? throw new InvalidOperationException("no clip yet"), parts.Length > 1 ? parts[1] : null));
                        break;
                    case "run":
                        var (c, it, ev) = raw[parts[1]].Run();
                        Reply(new Dictionary<string, object?> { ["ms"] = c + it + ev, ["classifier"] = c, ["interpreter"] = it, ["evidence"] = ev });
                        break;
                    case "stats":
                        Reply(Stats());
                        break;
                    case "quit":
                        explainer?.Dispose();
                        foreach (var set in raw.Values) set.Dispose();
                        Reply(new Dictionary<string, object?> { ["bye"] = true });
                        return 0;
                    default:
                        throw new ArgumentException($"unknown command '{parts[0]}'");
                }
            }
            catch (Exception e)
            {
                Reply(new Dictionary<string, object?> { ["error"] = $"{e.GetType().Name}: {e.Message}" });
            }
        }

        return 0;
    }

    private static Dictionary<string, object?> Explain(Explainer explainer, AudioClip clip, string? outPrefix)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var e = explainer.Explain(clip);
        double ms = sw.Elapsed.TotalMilliseconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        if (outPrefix is not null)
        {
            File.WriteAllBytes(outPrefix + ".explanation.f32", MemoryMarshal.AsBytes(e.ModelRateExplanation.AsSpan()).ToArray());
            File.WriteAllBytes(outPrefix + ".masked_out.f32", MemoryMarshal.AsBytes(e.ModelRateMaskedOut.AsSpan()).ToArray());
        }

        return new Dictionary<string, object?>
        {
            ["ms"] = ms,
            ["stages"] = e.Timings.ToMilliseconds(),
            ["allocatedBytes"] = allocated,
            ["returnedBytes"] = ReturnedBytes(e),
            ["label"] = e.Label,
            ["logits"] = e.Windows[0].Logits,
            ["logitsExplanation"] = e.Windows[0].Evidence?.LogitsExplanation,
            ["logitsMaskedOut"] = e.Windows[0].Evidence?.LogitsMaskedOut,
            ["divisor"] = e.Windows[0].NormalisationDivisor,
        };
    }

    /// <summary>Bytes of the distinct arrays an <see cref="Explanation"/> hands back.</summary>
    private static long ReturnedBytes(Explanation e)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        long total = 0;
        void Add(Array? a)
        {
            if (a is not null && seen.Add(a)) total += (long)a.Length * (a is double[] ? 8 : 4);
        }

        Add(e.ExplanationWaveform);
        Add(e.MaskedOutWaveform);
        Add(e.ModelRateExplanation);
        Add(e.ModelRateMaskedOut);
        Add(e.Probabilities);
        foreach (var w in e.Windows)
        {
            Add(w.Logits);
            Add(w.Probabilities);
            Add(w.Mask);
            Add(w.MaskShape);
            if (w.Evidence is { } ev)
            {
                Add(ev.P);
                Add(ev.Q);
                Add(ev.R);
                Add(ev.LogitsExplanation);
                Add(ev.LogitsMaskedOut);
                Add(ev.Map);
                Add(ev.MapShape);
            }
        }

        return total;
    }

    private static Dictionary<string, object?> Stats()
    {
        var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];
        long Kb(string key) => status.Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
        using var p = Process.GetCurrentProcess();
        return new Dictionary<string, object?>
        {
            ["peakWorkingSetBytes"] = status.Length > 0 ? Kb("VmHWM") : p.PeakWorkingSet64,
            ["workingSetBytes"] = status.Length > 0 ? Kb("VmRSS") : p.WorkingSet64,
            ["gcHeapBytes"] = GC.GetTotalMemory(false),
        };
    }

    /// <summary>Our settings: what <c>SessionFactory</c> sets (<see cref="SessionSettings"/>), the device added by <see cref="OnDevice"/>.</summary>
    internal static SessionOptions Tuned(InferenceOptions o) => SessionSettings.For(o, ExecutionDevice.Cpu).Create(0);

    /// <summary>Our settings without ONNX Runtime's CPU memory arena and memory pattern: buffers go back as soon as they are dead.</summary>
    private static SessionOptions Lean(InferenceOptions o)
    {
        var s = Tuned(o);
        s.EnableCpuMemArena = false;
        s.EnableMemoryPattern = false;
        return s;
    }

    /// <summary>The options on CUDA device 0 when the explainer settled on CUDA (a GPU build: -p:OnnxRuntimeGpu=true).</summary>
    private static SessionOptions OnDevice(SessionOptions s, bool cuda)
    {
        if (cuda) s.AppendExecutionProvider_CUDA(0);
        return s;
    }

    /// <summary>ONNX Runtime's defaults, with only the thread count set so that every side uses the same.</summary>
    private static SessionOptions Default(int threads)
    {
        var s = new SessionOptions();
        if (threads > 0) s.IntraOpNumThreads = threads;
        return s;
    }

    private static void Reply(Dictionary<string, object?> reply)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(reply));
        Console.Out.Flush();
    }
}

using System.Diagnostics;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Cli.Bench;

/// <summary>
/// The rounds of <c>lmactd bench</c>: <c>Explain</c> of the clip, its metrics, and the same graph runs bare, alternating
/// which goes first, so that the machine's load falls on both alike.
/// </summary>
internal static class BenchRun
{
    /// <summary>Runs the warm-up and timed rounds; stops early (returning what it has) when <paramref name="cancellation"/> fires.</summary>
    public static BenchResult Measure(Explainer explainer, ModelPackage package, AudioClip clip, string inputName, BenchSettings settings,
        CancellationToken cancellation)
    {
        var first = explainer.Explain(clip, cancellation);
        var result = new BenchResult
        {
            Model = package.Name,
            ModelPath = package.Directory,
            Interpreter = explainer.Interpreter.Name!,
            Device = explainer.Device,
            Sessions = explainer.SessionSettings,
            OrtVersion = OrtEnv.Instance().GetVersionString(),
            OrtProviders = OrtEnv.Instance().GetAvailableProviders(),
            Cpu = CpuDescription.Current(),
            Input = inputName,
            InputSeconds = clip.DurationSeconds,
            InputSampleRate = clip.SampleRate,
            Windows = first.Windows.Count,
            Warmup = settings.Warmup,
        };
        using var bare = settings.GraphRuns ? OpenBare(explainer, package) : null;
        for (int w = 1; w < settings.Warmup; w++)
        {
            explainer.Explain(clip, cancellation);
            bare?.Run(result.Windows);
        }

        bare?.Run(result.Windows);
        double before = LoadAverage() ?? double.NaN;
        for (int r = 0; r < settings.Rounds && !cancellation.IsCancellationRequested; r++)
        {
            if (bare is not null && r % 2 == 1) result.GraphRunsMs.Add(bare.Run(result.Windows));
            long t0 = Stopwatch.GetTimestamp();
            var e = explainer.Explain(clip, cancellation);
            result.ExplainMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            result.StagesMs.Add(e.Timings.ToMilliseconds());
            long t1 = Stopwatch.GetTimestamp();
            _ = e.Metrics;
            result.MetricsMs.Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
            if (bare is not null && r % 2 == 0) result.GraphRunsMs.Add(bare.Run(result.Windows));
        }

        if (LoadAverage() is { } after) result.Load = (before, after);
        return result;
    }

    private static BareGraphRuns OpenBare(Explainer explainer, ModelPackage package)
    {
        var m = package.Manifest;
        // The bare runs' input: the synthetic clip, normalised; run times do not depend on the values.
        var window = SyntheticClip.Make((double)m.ClipSamples / m.SampleRate, m.SampleRate);
        float divisor = SignedMaxNormalisation.TryDivisor(window) ?? 1;
        for (int i = 0; i < window.Length; i++) window[i] /= divisor;
        var inference = new Runtime.Inference.InferenceOptions
        {
            Device = explainer.Device.Device,
            CudaDeviceId = explainer.Options.Inference.CudaDeviceId,
            IntraOpThreads = explainer.Options.Inference.IntraOpThreads,
            AllowSpinning = explainer.Options.Inference.AllowSpinning,
            Optimization = explainer.Options.Inference.Optimization,
            OptimizedModelCacheDirectory = explainer.Options.Inference.OptimizedModelCacheDirectory,
        };
        return new BareGraphRuns(package, explainer.Interpreter, inference, window, explainer.Options.MaxBatchSize);
    }

    /// <summary>The 1-minute load average (Linux), else null.</summary>
    public static double? LoadAverage()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/loadavg")) return null;
            var first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Globalization;
using System.Text.Json;

namespace LmacTd.Cli.Bench;

/// <summary>The text and JSON reports of <c>lmactd bench</c>.</summary>
internal static class BenchReport
{
    /// <summary>Stages of <c>Explain</c> in the order printed, with the names <see cref="Runtime.Explaining.StageTimings.ToMilliseconds"/> gives them.</summary>
    private static readonly (string Key, string Label)[] Stages =
    [
        ("prepare", "prepare (windows, normalisation)"), ("frontEnd", "front end (log-mel)"), ("classifier", "classifier"),
        ("interpreter", "interpreter"), ("evidence", "evidence (front ends, classifier)"), ("assemble", "assemble"),
    ];

    /// <summary>Writes the human-readable report.</summary>
    public static void WriteText(BenchResult r, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(w);
        string F(double v, string format = "0.0") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
        w.WriteLine($"cpu: {r.Cpu.Summary}");
        w.WriteLine($"cpu flags: {(r.Cpu.Flags.Count > 0 ? string.Join(' ', r.Cpu.SimdFlagsPresent) : "(not listed by this OS)")}; " +
                    $".NET uses: {string.Join(' ', r.Cpu.DotnetIsa)}");
        w.WriteLine($"onnx runtime {r.OrtVersion} ({string.Join(", ", r.OrtProviders)}): " +
                    string.Join(", ", r.Sessions.Describe().Select(d => $"{d.Name} {d.Value}")));
        w.WriteLine($"input: {r.Input}, {F(r.InputSeconds, "0.00")} s at {r.InputSampleRate} Hz, {r.Windows} window(s); " +
                    $"{r.Rounds} rounds after {r.Warmup} warm-up{(r.GraphRunsMs.Count > 0 ? ", Explain and the bare graph runs alternating" : "")}" +
                    (r.Load is { } l ? $"; load average {F(l.Before, "0.00")} before, {F(l.After, "0.00")} after" : ""));
        var (em, emin) = BenchResult.Summary(r.ExplainMs);
        w.WriteLine($"{"",-40} {"median ms",10} {"min ms",10}");
        w.WriteLine($"{"Explain",-40} {F(em),10} {F(emin),10}   real-time factor {F(em / 1000 / r.InputSeconds, "0.0000")}");
        foreach (var (key, label) in Stages)
        {
            var (m, min) = BenchResult.Summary(r.StagesMs.Select(s => s.GetValueOrDefault(key, double.NaN)));
            w.WriteLine($"{"  " + label,-40} {F(m),10} {F(min),10}");
        }

        var (mm, mmin) = BenchResult.Summary(r.MetricsMs);
        w.WriteLine($"{"metrics (on demand, after Explain)",-40} {F(mm),10} {F(mmin),10}");
        if (r.GraphRunsMs.Count == 0) return;
        var (gm, gmin) = BenchResult.Summary(r.GraphRunsMs.Select(g => g.Classifier + g.Interpreter + g.Evidence));
        w.WriteLine($"{"graph runs alone",-40} {F(gm),10} {F(gmin),10}");
        foreach (var (label, pick) in new (string, Func<(double C, double I, double E), double>)[]
                 { ("  classifier", g => g.C), ("  interpreter graph", g => g.I), ("  evidence classifier", g => g.E) })
        {
            var (m, min) = BenchResult.Summary(r.GraphRunsMs.Select(g => pick(g)));
            w.WriteLine($"{label,-40} {F(m),10} {F(min),10}");
        }

        var (rm, rmin) = BenchResult.Summary(r.Ratios);
        w.WriteLine($"Explain / its graph runs: {F(rm, "0.000")} (median of the rounds' ratios; least {F(rmin, "0.000")})");
    }

    /// <summary>The report as UTF-8 JSON.</summary>
    public static byte[] Json(BenchResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            void Number(string name, double v)
            {
                if (double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, 4));
                else w.WriteNull(name);
            }

            void Timing(string name, IEnumerable<double> values)
            {
                var list = values.ToList();
                var (m, min) = BenchResult.Summary(list);
                w.WriteStartObject(name);
                Number("median", m);
                Number("min", min);
                w.WriteStartArray("rounds");
                foreach (var v in list)
                {
                    if (double.IsFinite(v)) w.WriteNumberValue(Math.Round(v, 4));
                    else w.WriteNullValue();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteStartObject();
            w.WriteString("model", r.Model);
            w.WriteString("modelPath", r.ModelPath);
            w.WriteString("interpreter", r.Interpreter);
            w.WriteStartObject("device");
            w.WriteString("name", r.Device.Name);
            w.WriteString("requested", r.Device.Requested.ToString().ToLowerInvariant());
            w.WriteString("reason", r.Device.Reason);
            w.WriteEndObject();
            w.WriteStartObject("onnxRuntime");
            w.WriteString("version", r.OrtVersion);
            w.WriteStartArray("providers");
            foreach (var p in r.OrtProviders) w.WriteStringValue(p);
            w.WriteEndArray();
            w.WriteNumber("intraOpThreads", r.Sessions.IntraOpThreads);
            w.WriteBoolean("allowSpinning", r.Sessions.AllowSpinning);
            w.WriteBoolean("cpuMemoryArena", r.Sessions.CpuMemoryArena);
            w.WriteBoolean("memoryPattern", r.Sessions.MemoryPattern);
            w.WriteString("optimization", r.Sessions.Optimization.ToString().ToLowerInvariant());
            w.WriteString("executionMode", Runtime.Inference.SessionSettings.ExecutionMode);
            w.WriteEndObject();
            w.WriteStartObject("cpu");
            w.WriteString("model", r.Cpu.Model);
            w.WriteString("vendor", r.Cpu.Vendor);
            if (r.Cpu.Family is { } family) w.WriteNumber("family", family);
            if (r.Cpu.ModelNumber is { } model) w.WriteNumber("modelNumber", model);
            w.WriteString("architecture", r.Cpu.Architecture);
            w.WriteNumber("logicalCores", r.Cpu.LogicalCores);
            if (r.Cpu.PhysicalCores is { } physical) w.WriteNumber("physicalCores", physical);
            w.WriteStartArray("flags");
            foreach (var f in r.Cpu.Flags) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteStartArray("dotnetIsa");
            foreach (var f in r.Cpu.DotnetIsa) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("dotnet", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
            w.WriteStartObject("input");
            w.WriteString("source", r.Input);
            Number("seconds", r.InputSeconds);
            w.WriteNumber("sampleRate", r.InputSampleRate);
            w.WriteNumber("windows", r.Windows);
            w.WriteEndObject();
            w.WriteNumber("rounds", r.Rounds);
            w.WriteNumber("warmup", r.Warmup);
            if (r.Load is { } load)
            {
                w.WriteStartObject("loadAverage");
                Number("before", load.Before);
                Number("after", load.After);
                w.WriteEndObject();
            }

            Timing("explainMs", r.ExplainMs);
            Number("realTimeFactor", BenchResult.Summary(r.ExplainMs).Median / 1000 / r.InputSeconds);
            w.WriteStartObject("stagesMs");
            foreach (var (key, _) in Stages) Timing(key, r.StagesMs.Select(s => s.GetValueOrDefault(key, double.NaN)));
            w.WriteEndObject();
            Timing("metricsMs", r.MetricsMs);
            if (r.GraphRunsMs.Count > 0)
            {
                w.WriteStartObject("graphRunsMs");
                Timing("total", r.GraphRunsMs.Select(g => g.Classifier + g.Interpreter + g.Evidence));
                Timing("classifier", r.GraphRunsMs.Select(g => g.Classifier));
                Timing("interpreter", r.GraphRunsMs.Select(g => g.Interpreter));
                Timing("evidence", r.GraphRunsMs.Select(g => g.Evidence));
                w.WriteEndObject();
                Timing("explainOverGraphRuns", r.Ratios);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

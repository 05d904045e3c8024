using System.Globalization;
using System.Text;
using System.Text.Json;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>The JSON report and the Markdown table of <c>lmactd eval</c>.</summary>
internal static class EvalReport
{
    /// <summary>The figures of one interpreter over the set.</summary>
    /// <param name="Interpreter">The interpreter.</param>
    /// <param name="Method">Its name in the paper's table (<see cref="MethodName"/>).</param>
    /// <param name="Clips">Every clip's result, in input order.</param>
    public sealed record Run(InterpreterKind Interpreter, string Method, IReadOnlyList<EvalClipResult> Clips)
    {
        /// <summary>The metric means over the clips that succeeded.</summary>
        public MetricSet Aggregate()
        {
            var set = new MetricSet();
            foreach (var c in Clips)
            {
                if (c.Metrics is not null) set.Add(c.Metrics);
            }

            return set;
        }

        /// <summary>The share of labelled, successful clips whose prediction equals the label; null when none is labelled.</summary>
        public double? Accuracy()
        {
            var labelled = Clips.Where(c => c.Label is not null && c.Predicted is not null).ToList();
            return labelled.Count == 0 ? null : labelled.Count(c => c.Label == c.Predicted) / (double)labelled.Count;
        }
    }

    /// <summary>Encodes the whole evaluation (or one shard of it) as UTF-8 JSON; <see cref="EvalReportReader"/> reads it back.</summary>
    internal static byte[] EncodeJson(EvalHeader header, IReadOnlyList<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(runs);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", header.Model);
            w.WriteString("modelPath", header.ModelPath);
            w.WriteString("modelSha256", header.ModelSha256);
            w.WriteString("input", header.Input);
            w.WriteString("inputDigest", header.InputDigest);
            w.WriteNumber("inputCount", header.InputCount);
            w.WriteString("contaminate", header.Contaminate);
            w.WriteNumber("seed", header.Seed);
            w.WriteString("metrics", header.Metrics);
            if (header.Shard is { } shard)
            {
                w.WriteStartObject("shard");
                w.WriteNumber("index", shard.Index);
                w.WriteNumber("count", shard.Count);
                w.WriteEndObject();
            }

            w.WriteStartObject("interpreters");
            foreach (var run in runs)
            {
                w.WriteStartObject(run.Interpreter.Name);
                w.WriteString("method", run.Method);
                w.WriteStartArray("clips");
                foreach (var c in run.Clips) WriteClip(w, c);
                w.WriteEndArray();
                WriteAggregate(w, run);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The paper's table: one row per interpreter.</summary>
    internal static string Markdown(EvalHeader header, IReadOnlyList<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(runs);
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int clips = runs.Count == 0 ? 0 : runs[0].Clips.Count;
        var shard = header.Shard is { } s ? $", shard {s} of {header.InputCount} clips" : "";
        sb.AppendLine(ci, $"Model `{header.Model}`, {clips} clips from `{header.Input}`{shard}, contamination: {header.Contaminate} (seed {header.Seed}), metrics: {header.Metrics}.");
        sb.AppendLine();
        sb.AppendLine("| method | AI | AD | AG | FF | Fid-In | SPS | COMP | accuracy | clips |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs)
        {
            var m = run.Aggregate();
            var acc = run.Accuracy();
            sb.AppendLine(ci,
                $"| {run.Method} | {F(m.AI, 2)} | {F(m.AD, 2)} | {F(m.AG, 2)} | {F(m.FF, 2)} | {F(m.FidIn, 2)} | {F(m.SPS, 2)} | {F(m.COMP, 2)} | {(acc is { } a ? F(a, 3) : "n/a")} | {m.Count} |");
        }

        return sb.ToString();
    }

    /// <summary>The method's name as the paper's table writes it.</summary>
    public static string MethodName(ModelPackage package, InterpreterKind kind) => package.Manifest.InterpreterTitle(kind);

    private static string F(double v, int digits) =>
        double.IsNaN(v) ? "n/a" : v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void WriteClip(Utf8JsonWriter w, EvalClipResult c)
    {
        w.WriteStartObject();
        w.WriteNumber("index", c.Index);
        w.WriteString("path", c.Path);
        if (c.Label is not null) w.WriteString("label", c.Label);
        if (c.Error is not null)
        {
            w.WriteString("error", c.Error);
            w.WriteEndObject();
            return;
        }

        var m = c.Metrics!;
        w.WriteString("predicted", c.Predicted);
        w.WriteNumber("classIndex", m.ClassIndex);
        w.WriteNumber("p_c", m.PC);
        w.WriteNumber("q_c", m.QC);
        w.WriteNumber("r_c", m.RC);
        w.WriteNumber("q_argmax", m.QArgmax);
        w.WriteString("q_argmax_label", c.QArgmaxLabel);
        WriteMetrics(w, m.AI, m.AD, m.AG, m.FF, m.FidIn, m.SPS, m.COMP);
        w.WriteEndObject();
    }

    private static void WriteAggregate(Utf8JsonWriter w, Run run)
    {
        var m = run.Aggregate();
        w.WriteStartObject("aggregate");
        WriteMetrics(w, m.AI, m.AD, m.AG, m.FF, m.FidIn, m.SPS, m.COMP);
        if (run.Accuracy() is { } acc) w.WriteNumber("accuracy", acc);
        w.WriteNumber("clips", m.Count);
        w.WriteNumber("failed", run.Clips.Count(c => c.Error is not null));
        w.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter w, double ai, double ad, double ag, double ff, double fidIn, double sps, double comp)
    {
        Number(w, "AI", ai);
        Number(w, "AD", ad);
        Number(w, "AG", ag);
        Number(w, "FF", ff);
        Number(w, "FidIn", fidIn);
        Number(w, "SPS", sps);
        Number(w, "COMP", comp);
    }

    // JSON has no NaN: an undefined figure (no clip, or no map) is null.
    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}

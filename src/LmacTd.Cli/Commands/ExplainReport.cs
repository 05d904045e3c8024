using System.Text.Json;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>The <c>NAME.json</c> report of <c>lmactd explain</c>.</summary>
internal static class ExplainReport
{
    /// <summary>Encodes the report as UTF-8 JSON.</summary>
    /// <remarks>A streamed explanation holds no waveforms: its duration and relevance curve come separately.</remarks>
    public static byte[] Encode(Explanation e, ModelPackage package, string input, string explanationPath, string maskedOutPath,
        int channels, IReadOnlyDictionary<string, double> timingsMs, IReadOnlyList<ExplanationWarning>? warnings = null, double? pcm16Gain = null,
        double? durationSeconds = null, TimeRelevance? relevance = null)
    {
        warnings ??= e.Warnings;
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(package);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("input", input);
            w.WriteString("model", package.Name);
            w.WriteString("modelPath", package.Directory);
            w.WriteString("modelPrecision", package.Manifest.Precision);
            if (package.Manifest.Precision != PackageManifest.Fp32)
                w.WriteString("modelPrecisionGate", package.Manifest.PrecisionGatePassed switch { true => "passed", false => "failed", null => "not run" });
            w.WriteString("interpreter", e.Interpreter.Name);
            w.WriteString("device", e.Device.Name);
            w.WriteString("deviceReason", e.Device.Reason);
            w.WriteString("predicted", e.Label);
            w.WriteNumber("classIndex", e.ClassIndex);
            w.WriteNumber("probability", e.Probability);
            w.WriteStartArray("top");
            foreach (var s in e.Top)
            {
                w.WriteStartObject();
                w.WriteString("label", s.Label);
                w.WriteNumber("classIndex", s.Index);
                w.WriteNumber("probability", s.Probability);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("durationSeconds", durationSeconds ?? e.DurationSeconds);
            w.WriteNumber("sampleRate", e.SampleRate);
            w.WriteNumber("channels", channels);
            w.WriteNumber("modelSampleRate", e.ModelSampleRate);
            w.WriteNumber("aboveBandShare", e.AboveBandShare);
            if (pcm16Gain is { } gain) w.WriteNumber("pcm16Gain", gain);
            w.WriteStartArray("warnings");
            foreach (var warning in warnings)
            {
                w.WriteStartObject();
                w.WriteString("kind", char.ToLowerInvariant(warning.Kind.ToString()[0]) + warning.Kind.ToString()[1..]);
                w.WriteString("message", warning.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("windows");
            foreach (var win in e.Windows)
            {
                w.WriteStartObject();
                w.WriteNumber("startSeconds", (double)win.Start / e.ModelSampleRate);
                w.WriteNumber("durationSeconds", (double)win.Length / e.ModelSampleRate);
                w.WriteString("predicted", package.Labels[win.ClassIndex]);
                w.WriteNumber("classIndex", win.ClassIndex);
                w.WriteNumber("probability", win.Probabilities[win.ClassIndex]);
                w.WriteNumber("reconstructionError", win.ReconstructionError);
                if (win.AboveBandShare is { } share) w.WriteNumber("aboveBandShare", share);
                if (win.Evidence is { } ev)
                {
                    w.WriteNumber("probabilityOnExplanation", ev.Q[ev.ClassIndex]);
                    w.WriteNumber("probabilityOnMaskedOut", ev.R[ev.ClassIndex]);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (e.Metrics is { } m)
            {
                // The explanation's own evidence: a reader can refuse an explanation that is not faithful.
                w.WriteStartObject("evidence");
                w.WriteNumber("p_c", m.PC);
                w.WriteNumber("q_c", m.QC);
                w.WriteNumber("r_c", m.RC);
                w.WriteString("q_argmax", package.Labels[m.QArgmax]);
                w.WriteNumber("AI", m.AI);
                w.WriteNumber("AD", m.AD);
                w.WriteNumber("AG", m.AG);
                w.WriteNumber("FF", m.FF);
                w.WriteNumber("FidIn", m.FidIn);
                if (double.IsFinite(m.SPS)) w.WriteNumber("SPS", m.SPS);
                if (double.IsFinite(m.COMP)) w.WriteNumber("COMP", m.COMP);
                w.WriteEndObject();
            }

            WriteRelevance(w, relevance ?? e.Relevance);
            w.WriteStartObject("outputs");
            w.WriteString("explanation", explanationPath);
            w.WriteString("maskedOut", maskedOutPath);
            w.WriteEndObject();
            w.WriteStartObject("timings");
            foreach (var (k, v) in timingsMs) w.WriteNumber(k + "Ms", Math.Round(v, 3));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // The curve at 4 decimals: finer steps mean nothing for a share of energy, and long input has many hops.
    private static void WriteRelevance(Utf8JsonWriter w, TimeRelevance r)
    {
        w.WriteStartObject("relevance");
        w.WriteNumber("hopSeconds", r.HopSeconds);
        w.WriteNumber("threshold", TimeRelevance.Threshold);
        w.WriteStartArray("values");
        foreach (var v in r.Values) w.WriteNumberValue(Math.Round(v, 4));
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("segments");
        foreach (var s in r.Segments)
        {
            w.WriteStartObject();
            w.WriteNumber("startSeconds", Math.Round(s.StartSeconds, 6));
            w.WriteNumber("endSeconds", Math.Round(s.EndSeconds, 6));
            w.WriteNumber("meanScore", Math.Round(s.MeanScore, 4));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}

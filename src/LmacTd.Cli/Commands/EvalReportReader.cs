using System.Text.Json;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// Reads back what <see cref="EvalReport.EncodeJson"/> wrote: a header and, per interpreter, every clip's record.
/// JSON numbers are written in their shortest round-trip form, so every figure reads back to the same double.
/// </summary>
internal static class EvalReportReader
{
    /// <summary>One report read back.</summary>
    /// <param name="File">The JSON file.</param>
    /// <param name="Header">Its header.</param>
    /// <param name="Runs">Its runs, in the file's order.</param>
    public sealed record Report(string File, EvalHeader Header, IReadOnlyList<EvalReport.Run> Runs);

    /// <summary>Reads <paramref name="file"/>.</summary>
    /// <exception cref="FormatException">The file is not an <c>lmactd eval --json</c> report (the message names it and what is wrong).</exception>
    public static Report Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var r = doc.RootElement;
            Shard? shard = r.TryGetProperty("shard", out var s) ? new Shard(s.GetProperty("index").GetInt32(), s.GetProperty("count").GetInt32()) : null;
            var header = new EvalHeader(
                Str(r, "model"), Str(r, "modelPath"), Str(r, "modelSha256"), Str(r, "input"), Str(r, "inputDigest"),
                r.GetProperty("inputCount").GetInt32(), Str(r, "contaminate"), r.GetProperty("seed").GetInt32(), shard)
            {
                Metrics = r.TryGetProperty("metrics", out var mc) && mc.ValueKind == JsonValueKind.String ? mc.GetString()! : "paper",
            };
            var runs = new List<EvalReport.Run>();
            foreach (var run in r.GetProperty("interpreters").EnumerateObject())
            {
                var clips = run.Value.GetProperty("clips").EnumerateArray().Select(Clip).ToList();
                runs.Add(new EvalReport.Run(InterpreterKind.Parse(run.Name), Str(run.Value, "method"), clips));
            }

            return new Report(file, header, runs);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new FormatException($"{file}: not an 'lmactd eval --json' report of this version ({e.Message})", e);
        }
    }

    private static EvalClipResult Clip(JsonElement c)
    {
        int index = c.GetProperty("index").GetInt32();
        var path = Str(c, "path");
        string? label = c.TryGetProperty("label", out var l) ? l.GetString() : null;
        if (c.TryGetProperty("error", out var error)) return new EvalClipResult(index, path, label, null, null, null, error.GetString());

        var metrics = new FaithfulnessMetrics(
            c.GetProperty("classIndex").GetInt32(), c.GetProperty("p_c").GetDouble(), c.GetProperty("q_c").GetDouble(),
            c.GetProperty("r_c").GetDouble(), c.GetProperty("q_argmax").GetInt32(),
            Num(c, "AI"), Num(c, "AD"), Num(c, "AG"), Num(c, "FF"), Num(c, "FidIn"), Num(c, "SPS"), Num(c, "COMP"));
        return new EvalClipResult(index, path, label, Str(c, "predicted"), Str(c, "q_argmax_label"), metrics, null);
    }

    private static string Str(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    // The writer turns an undefined figure (NaN) into null; this turns it back.
    private static double Num(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.Null } ? double.NaN : e.GetProperty(name).GetDouble();
}

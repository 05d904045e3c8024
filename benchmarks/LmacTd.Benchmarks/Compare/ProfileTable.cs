using System.Text.Json;

namespace LmacTd.Benchmarks.Compare;

/// <summary>
/// Kernel times of an ONNX Runtime profile, per run: for each <c>model_run</c> event, the summed kernel time of every
/// operator type and every node inside it. Medians over the runs make per-node-type tables that alternate packages.
/// </summary>
internal sealed class ProfileTable
{
    private ProfileTable(List<Dictionary<string, double>> byOp, List<Dictionary<string, double>> byNode, Dictionary<string, int> opCounts)
    {
        ByOp = byOp;
        ByNode = byNode;
        OpCounts = opCounts;
    }

    /// <summary>Per run: milliseconds by operator type.</summary>
    public IReadOnlyList<Dictionary<string, double>> ByOp { get; }

    /// <summary>Per run: milliseconds by node name (with its operator type after a tab).</summary>
    public IReadOnlyList<Dictionary<string, double>> ByNode { get; }

    /// <summary>Nodes of each operator type in one run.</summary>
    public IReadOnlyDictionary<string, int> OpCounts { get; }

    /// <summary>Reads the profile file; <paramref name="skip"/> leading runs (warm-up) are left out.</summary>
    public static ProfileTable Read(string file, int skip)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var events = doc.RootElement.EnumerateArray().ToList();
        var runs = events.Where(e => e.TryGetProperty("name", out var n) && n.GetString() == "model_run")
            .Select(e => (Ts: e.GetProperty("ts").GetInt64(), End: e.GetProperty("ts").GetInt64() + e.GetProperty("dur").GetInt64()))
            .OrderBy(r => r.Ts).Skip(skip).ToList();
        var byOp = runs.Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToList();
        var byNode = runs.Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToList();
        foreach (var e in events)
        {
            if (e.GetProperty("cat").GetString() != "Node") continue;
            var name = e.GetProperty("name").GetString()!;
            if (!name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            long ts = e.GetProperty("ts").GetInt64();
            int r = runs.FindIndex(x => ts >= x.Ts && ts <= x.End);
            if (r < 0) continue;
            var op = e.GetProperty("args").TryGetProperty("op_name", out var o) ? o.GetString() ?? "?" : "?";
            double ms = e.GetProperty("dur").GetDouble() / 1000;
            byOp[r][op] = byOp[r].GetValueOrDefault(op) + ms;
            var key = name[..^"_kernel_time".Length] + "\t" + op;
            byNode[r][key] = byNode[r].GetValueOrDefault(key) + ms;
        }

        var counts = byNode.Count == 0 ? new Dictionary<string, int>()
            : byNode[0].Keys.GroupBy(k => k.Split('\t')[1]).ToDictionary(g => g.Key, g => g.Count());
        return new ProfileTable(byOp, byNode, counts);
    }

    /// <summary>Median over the runs of the time of operator type <paramref name="op"/> (0 where it does not occur).</summary>
    public double OpMedian(string op) => Median(ByOp.Select(r => r.GetValueOrDefault(op)));

    /// <summary>Least time over the runs of operator type <paramref name="op"/>: the least disturbed by other work on the machine.</summary>
    public double OpMin(string op) => ByOp.Count == 0 ? double.NaN : ByOp.Min(r => r.GetValueOrDefault(op));

    /// <summary>Least summed kernel time over the runs.</summary>
    public double TotalMin() => ByOp.Count == 0 ? double.NaN : ByOp.Min(r => r.Values.Sum());

    /// <summary>Median over the runs of node <paramref name="key"/> (name, tab, operator type).</summary>
    public double NodeMedian(string key) => Median(ByNode.Select(r => r.GetValueOrDefault(key)));

    /// <summary>Median over the runs of the summed kernel time.</summary>
    public double TotalMedian() => Median(ByOp.Select(r => r.Values.Sum()));

    /// <summary>The median of <paramref name="values"/> (NaN when empty).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

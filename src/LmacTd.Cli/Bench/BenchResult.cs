using LmacTd.Runtime.Inference;

namespace LmacTd.Cli.Bench;

/// <summary>What <c>lmactd bench</c> measured: every round's figures and the machine and settings they came from.</summary>
internal sealed class BenchResult
{
    public required string Model { get; init; }

    public required string ModelPath { get; init; }

    public required string Interpreter { get; init; }

    public required DeviceSelection Device { get; init; }

    public required SessionSettings Sessions { get; init; }

    public required string OrtVersion { get; init; }

    public required IReadOnlyList<string> OrtProviders { get; init; }

    public required CpuDescription Cpu { get; init; }

    /// <summary>"synthetic" or the input file's path.</summary>
    public required string Input { get; init; }

    public required double InputSeconds { get; init; }

    public required int InputSampleRate { get; init; }

    public required int Windows { get; init; }

    public required int Warmup { get; init; }

    /// <summary>The 1-minute load average before and after the rounds (Linux), else null.</summary>
    public (double Before, double After)? Load { get; set; }

    /// <summary>Each round's <c>Explain</c> in milliseconds.</summary>
    public List<double> ExplainMs { get; } = [];

    /// <summary>Each round's stages (<see cref="Runtime.Explaining.StageTimings.ToMilliseconds"/>), in milliseconds.</summary>
    public List<IReadOnlyDictionary<string, double>> StagesMs { get; } = [];

    /// <summary>Each round's metrics (computed on demand after <c>Explain</c>), in milliseconds.</summary>
    public List<double> MetricsMs { get; } = [];

    /// <summary>Each round's bare graph runs (classifier, interpreter, evidence), in milliseconds; empty with --no-graph-runs.</summary>
    public List<(double Classifier, double Interpreter, double Evidence)> GraphRunsMs { get; } = [];

    public int Rounds => ExplainMs.Count;

    /// <summary>Each round's <c>Explain</c> over its graph runs.</summary>
    public IEnumerable<double> Ratios => ExplainMs.Zip(GraphRunsMs, (e, g) => e / (g.Classifier + g.Interpreter + g.Evidence));

    /// <summary>Median and least of <paramref name="values"/> (NaN for none).</summary>
    public static (double Median, double Min) Summary(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
        return (median, v[0]);
    }
}

using BenchmarkDotNet.Running;
using LmacTd.Benchmarks.Compare;

namespace LmacTd.Benchmarks;

/// <summary>
/// BenchmarkDotNet's switcher (<c>--filter '*'</c>, <c>--job short</c>, ...); <c>serve</c>: the C# side of
/// benchmarks/compare, driven over stdin and stdout; <c>profile</c>: where the graphs spend their time; <c>duration</c>: one Explain call's time and peak memory;
/// <c>precision</c>: an fp32 package beside its int8 twin; <c>allocations</c>: the managed bytes allocated per window in the
/// steady state; <c>linearity</c>: time against length in one process.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "serve") return CompareServer.Run(args[1..]);
        if (args.Length > 0 && args[0] == "profile") return GraphProfiler.Run(args[1..]);
        if (args.Length > 0 && args[0] == "precision") return PrecisionBench.Run(args[1..]);
        if (args.Length > 0 && args[0] == "duration") return Explaining.DurationRun.Run(args[1..]);
        if (args.Length > 0 && args[0] == "allocations") return Explaining.AllocationsRun.Run(args[1..]);
        if (args.Length > 0 && args[0] == "linearity") return Explaining.LinearityRun.Run(args[1..]);
        foreach (var _ in BenchmarkPackages.Available())
        {
            // Reports which package stands for each role, and which are skipped, before anything runs.
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

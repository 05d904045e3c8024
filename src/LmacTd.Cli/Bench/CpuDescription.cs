using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using X86 = System.Runtime.Intrinsics.X86;
using Arm = System.Runtime.Intrinsics.Arm;

namespace LmacTd.Cli.Bench;

/// <summary>
/// The CPU a benchmark ran on, as benchmarks/RESULTS.md names it beside every figure: model and flags from
/// <c>/proc/cpuinfo</c> on Linux, the architecture and the instruction sets .NET can use everywhere.
/// </summary>
/// <param name="Model">Model name (<c>model name</c> on x86, the implementer and part on ARM), or the OS's description when unknown.</param>
/// <param name="Vendor">Vendor id (<c>AuthenticAMD</c>, <c>GenuineIntel</c>), or empty.</param>
/// <param name="Family">x86 family number, or null.</param>
/// <param name="ModelNumber">x86 model number, or null.</param>
/// <param name="Architecture">The process architecture (X64, Arm64).</param>
/// <param name="LogicalCores">Logical cores the process sees.</param>
/// <param name="PhysicalCores">Physical cores from <c>/proc/cpuinfo</c>, or null when it does not say.</param>
/// <param name="Flags">Every flag <c>/proc/cpuinfo</c> lists (<c>flags</c> on x86, <c>Features</c> on ARM); empty elsewhere.</param>
/// <param name="DotnetIsa">The vector instruction sets .NET reports as supported here.</param>
internal sealed record CpuDescription(string Model, string Vendor, int? Family, int? ModelNumber, string Architecture, int LogicalCores,
    int? PhysicalCores, IReadOnlyList<string> Flags, IReadOnlyList<string> DotnetIsa)
{
    /// <summary>The flags that decide how fast the graphs and the front end run, in the order printed.</summary>
    public static readonly IReadOnlyList<string> SimdFlags =
    [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
        "avx_vnni", "amx_tile", "amx_int8", "amx_bf16", "asimd", "asimddp", "asimdhp", "i8mm", "bf16", "sve", "sve2",
    ];

    /// <summary>This machine's CPU.</summary>
    public static CpuDescription Current()
    {
        string text = "";
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo")) text = File.ReadAllText("/proc/cpuinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return Parse(text, RuntimeInformation.ProcessArchitecture.ToString(), Environment.ProcessorCount, RuntimeInformation.OSDescription);
    }

    /// <summary>Reads <paramref name="cpuinfo"/> (the text of <c>/proc/cpuinfo</c>, or empty).</summary>
    public static CpuDescription Parse(string cpuinfo, string architecture, int logicalCores, string fallbackModel)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        var cores = new HashSet<(string Package, string Core)>();
        string package = "0";
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            first.TryAdd(key, value);
            if (key == "physical id") package = value;
            else if (key == "core id") cores.Add((package, value));
        }

        string model = first.GetValueOrDefault("model name")
                       ?? (first.TryGetValue("CPU implementer", out var impl) ? $"ARM implementer {impl} part {first.GetValueOrDefault("CPU part", "?")}" : null)
                       ?? fallbackModel;
        var flags = (first.GetValueOrDefault("flags") ?? first.GetValueOrDefault("Features") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CpuDescription(model, first.GetValueOrDefault("vendor_id", ""), Int(first.GetValueOrDefault("cpu family")),
            Int(first.GetValueOrDefault("model")), architecture, logicalCores, cores.Count > 0 ? cores.Count : null, flags, DotnetInstructionSets());
    }

    /// <summary>The flags of <see cref="SimdFlags"/> this CPU has.</summary>
    public IReadOnlyList<string> SimdFlagsPresent => [.. SimdFlags.Where(f => Flags.Contains(f))];

    /// <summary>One line: model, vendor and family, architecture, cores.</summary>
    public string Summary =>
        $"{Model}{(Vendor.Length > 0 ? $" ({Vendor}{(Family is { } f ? $" family {f}" : "")}{(ModelNumber is { } m ? $" model {m}" : "")})" : "")}, " +
        $"{Architecture}, {LogicalCores} logical core(s){(PhysicalCores is { } p ? $", {p} physical" : "")}";

    private static int? Int(string? s) => int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string[] DotnetInstructionSets()
    {
        var isa = new List<string>();
        void Add(bool supported, string name)
        {
            if (supported) isa.Add(name);
        }

        Add(X86.Sse42.IsSupported, "Sse42");
        Add(X86.Avx.IsSupported, "Avx");
        Add(X86.Avx2.IsSupported, "Avx2");
        Add(X86.Fma.IsSupported, "Fma");
        Add(X86.AvxVnni.IsSupported, "AvxVnni");
        Add(X86.Avx512F.IsSupported, "Avx512F");
        Add(X86.Avx512BW.IsSupported, "Avx512BW");
        Add(X86.Avx512Vbmi.IsSupported, "Avx512Vbmi");
        Add(Arm.AdvSimd.IsSupported, "AdvSimd");
        Add(Arm.Dp.IsSupported, "Dp");
        Add(Arm.Rdm.IsSupported, "Rdm");
        Add(Vector512.IsHardwareAccelerated, "Vector512");
        return [.. isa];
    }
}

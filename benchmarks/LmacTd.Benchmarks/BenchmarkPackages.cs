using LmacTd.Runtime.Packages;

namespace LmacTd.Benchmarks;

/// <summary>
/// The packages the benchmarks run on, by role: <c>default</c> (the bundled models/default, or a stand-in of the
/// same size until it lands) and <c>full</c> (the paper's size, random weights, models/build/full). A package that
/// is not built is left out with a message saying how to build it.
/// </summary>
public static class BenchmarkPackages
{
    /// <summary>Role name of the bundled default package.</summary>
    public const string Default = "default";

    /// <summary>Role name of the full-size random-init package.</summary>
    public const string Full = "full";

    private static readonly object Gate = new();
    private static readonly HashSet<string> Reported = [];

    /// <summary>The repository root: <c>LMACTD_REPO</c>, else the first folder upwards holding LmacTd.Runtime.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Where benchmark-only packages and logs go (git-ignored).</summary>
    public static string ArtifactsDirectory => Path.Combine(RepositoryRoot, "benchmarks", "artifacts");

    /// <summary>
    /// The roles whose package is present, in order; <c>LMACTD_BENCH_PACKAGES</c> (comma-separated roles) narrows the
    /// list. Missing ones are reported once on the console.
    /// </summary>
    public static IEnumerable<string> Available()
    {
        var wanted = (Environment.GetEnvironmentVariable("LMACTD_BENCH_PACKAGES") ?? $"{Default},{Full}")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var role in wanted)
        {
            var (dir, note) = Resolve(role);
            if (dir is null)
            {
                ReportOnce(role, $"[benchmarks] skipping package '{role}': {note}");
                continue;
            }

            ReportOnce(role, $"[benchmarks] package '{role}' = {dir}{(note is null ? "" : $" ({note})")}");
            yield return role;
        }
    }

    /// <summary>The folder of <paramref name="role"/>'s package and a note on what it is, or null and why it is missing.</summary>
    public static (string? Directory, string? Note) Resolve(string role)
    {
        if (Directory.Exists(role) && File.Exists(Path.Combine(role, "manifest.json"))) return (Path.GetFullPath(role), "given as a path");
        switch (role)
        {
            case Default:
            {
                var bundled = Path.Combine(RepositoryRoot, "models", "default");
                if (IsPackage(bundled)) return (bundled, "the bundled default");
                var standIn = Path.Combine(ArtifactsDirectory, "packages", "default-random");
                if (IsPackage(standIn))
                    return (standIn, "stand-in: models/default is not there yet; default-size random weights, see benchmarks/README.md");
                var tiny = Path.Combine(RepositoryRoot, "tests", "data", "tiny-package");
                return IsPackage(tiny)
                    ? (tiny, "stand-in: neither models/default nor a default-size random package is built; the TINY test package")
                    : (null, "no models/default and no stand-in");
            }

            case Full:
            {
                var full = Path.Combine(RepositoryRoot, "models", "build", "full");
                return IsPackage(full)
                    ? (full, "full size, random weights")
                    : (null, "models/build/full is not built; build it with 'models/lmactd-models random-init --size full --seed 1 --out models/build/full'");
            }

            default:
                return (null, $"unknown package role or folder '{role}'");
        }
    }

    /// <summary>Loads <paramref name="role"/>'s package (sha256 checks skipped: the benchmarks time work, not loading).</summary>
    public static ModelPackage Load(string role)
    {
        var (dir, note) = Resolve(role);
        if (dir is null) throw new InvalidOperationException($"package '{role}' is not available: {note}");
        return ModelPackage.Load(dir, verifyDigests: false);
    }

    private static bool IsPackage(string dir) => File.Exists(Path.Combine(dir, "manifest.json"));

    private static void ReportOnce(string role, string line)
    {
        lock (Gate)
        {
            if (Reported.Add(role)) Console.WriteLine(line);
        }
    }

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("LMACTD_REPO");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "LmacTd.Runtime.sln"))) return d.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (LmacTd.Runtime.sln); set LMACTD_REPO");
    }
}

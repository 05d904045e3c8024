using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests;

/// <summary>Paths of the repository's test data and helpers to make variants of it.</summary>
internal static class TestData
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The tiny random-init package with both interpreters (written by models/lmactd-models).</summary>
    public static string TinyPackage => Path.Combine(RepoRoot, "tests", "data", "tiny-package");

    /// <summary>The shipped default model package.</summary>
    public static string DefaultPackage => Path.Combine(RepoRoot, "models", "default");

    public static string GoldenDir => Path.Combine(RepoRoot, "tests", "data", "golden");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Audio", "Fixtures", name);

    /// <summary>One thread per graph run: the test machine has two cores shared with other work.</summary>
    public static ExplainerOptions Options(InterpreterKind kind, bool evidence = true) => new()
    {
        Interpreter = kind,
        ComputeEvidence = evidence,
        Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 },
    };

    /// <summary>Copies the tiny package into a fresh temporary folder that the caller may damage.</summary>
    public static TempDir CopyTinyPackage()
    {
        var dir = new TempDir();
        foreach (var f in Directory.GetFiles(TinyPackage)) File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)));
        return dir;
    }

    public static float[] Sine(int samples, int rate, double hz, double amplitude = 0.5, double phase = 0)
    {
        var x = new float[samples];
        for (int i = 0; i < samples; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate + phase));
        return x;
    }

    public static float[] Noise(int samples, int seed, double amplitude = 0.3)
    {
        var rng = new Random(seed);
        var x = new float[samples];
        for (int i = 0; i < samples; i++) x[i] = (float)(amplitude * (rng.NextDouble() * 2 - 1));
        return x;
    }

    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        float m = 0;
        foreach (var v in x) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "LmacTd.Runtime.sln"))) return d.FullName;
        }

        throw new InvalidOperationException("LmacTd.Runtime.sln not found above " + AppContext.BaseDirectory);
    }
}

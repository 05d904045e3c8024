using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Inference;

public class OptimizedModelCacheTests
{
    private static ExplainerOptions Options(string? cache) => new()
    {
        Interpreter = InterpreterKind.LmacTd,
        Inference = new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1, OptimizedModelCacheDirectory = cache },
    };

    private static float[] ExplainOnce(ModelPackage package, string? cache)
    {
        using var explainer = new Explainer(package, Options(cache));
        return explainer.Explain(TestData.Sine(16000, 16000, 440), 16000).ExplanationWaveform;
    }

    [Fact]
    public void The_first_explainer_fills_the_cache_and_the_next_one_gives_the_same_output_from_it()
    {
        using var cache = new TempDir();
        var package = ModelPackage.Load(TestData.TinyPackage);
        var uncached = ExplainOnce(package, null);

        var first = ExplainOnce(package, cache.Path);
        var entries = Directory.GetFiles(cache.Path);
        Assert.Equal(2, entries.Length);  // the classifier and the interpreter
        Assert.All(entries, f => Assert.EndsWith(".onnx", f, StringComparison.Ordinal));
        Assert.Contains(entries, f => Path.GetFileName(f).StartsWith(package.Manifest.Files["classifier.onnx"].Sha256[..32], StringComparison.Ordinal));
        var written = entries.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = ExplainOnce(package, cache.Path);

        Assert.Equal(uncached, first);
        Assert.Equal(uncached, second);
        Assert.All(written, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));
    }

    [Fact]
    public void A_damaged_cache_entry_is_rebuilt()
    {
        using var cache = new TempDir();
        var package = ModelPackage.Load(TestData.TinyPackage);
        var expected = ExplainOnce(package, cache.Path);
        foreach (var f in Directory.GetFiles(cache.Path)) File.WriteAllBytes(f, "not an onnx graph"u8.ToArray());

        var again = ExplainOnce(package, cache.Path);

        Assert.Equal(expected, again);
        Assert.All(Directory.GetFiles(cache.Path), f => Assert.True(new FileInfo(f).Length > 100, f));
    }
}

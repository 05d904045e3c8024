using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Parity;

/// <summary>
/// tests/data/tiny-package-split is the tiny package with every ConvTranspose of both interpreters cut into four
/// runs of rows (benchmarks/experiments/split_convt.py, the rewrite that bounds ONNX Runtime's column buffers at
/// full size). It must explain exactly as the reference does.
/// </summary>
public class SplitExportParityTests(ITestOutputHelper output)
{
    private static string SplitPackage => Path.Combine(TestData.RepoRoot, "tests", "data", "tiny-package-split");

    [Theory]
    [MemberData(nameof(ExplainerParityTests.Cases), MemberType = typeof(ExplainerParityTests))]
    public void The_split_graphs_explain_as_the_reference_does(string name, InterpreterKind kind)
    {
        var g = Golden.Load();
        var package = ModelPackage.Load(SplitPackage);
        using var explainer = new Explainer(package, TestData.Options(kind));
        var e = explainer.Explain(g.Data(name, "input"), g.SampleRate(name));
        string k = InterpreterNames.Of(kind);
        var window = Assert.Single(e.Windows);

        float maskErr = TestData.MaxAbsDiff(g.Data(name, k + ".mask"), window.Mask);
        output.WriteLine($"{name} {k}: mask max abs error {maskErr:E2}");
        Assert.True(maskErr <= 1e-4f, $"mask: max abs error {maskErr}");
        foreach (var (tensor, actual) in new[] { ("explanation", e.ModelRateExplanation), ("masked_out", e.ModelRateMaskedOut) })
        {
            var expected = g.Data(name, $"{k}.{tensor}");
            var scaled = actual.Select(v => v / window.NormalisationDivisor).ToArray();
            float peak = TestData.MaxAbs(expected);
            float err = TestData.MaxAbsDiff(expected, scaled);
            output.WriteLine($"{name} {k}: {tensor} max abs error {err:E2} = {err / peak:E2} of peak");
            Assert.True(err <= 1e-3f * peak, $"{tensor}: max abs error {err} > 1e-3 x peak {peak}");
        }
    }

    [Fact]
    public void The_split_package_really_is_rewritten()
    {
        var split = ModelPackage.Load(SplitPackage);
        var plain = ModelPackage.Load(TestData.TinyPackage);

        Assert.NotEqual(plain.Manifest.Files["lmac-td.onnx"].Sha256, split.Manifest.Files["lmac-td.onnx"].Sha256);
        Assert.NotEqual(plain.Manifest.Files["lmac-stft.onnx"].Sha256, split.Manifest.Files["lmac-stft.onnx"].Sha256);
        Assert.Equal(plain.Manifest.Files["classifier.onnx"].Sha256, split.Manifest.Files["classifier.onnx"].Sha256);
    }
}

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
    public void The_split_graphs_explain_as_the_reference_does(string name, InterpreterKind kind) =>
        ExplainerParityTests.CheckAgainstReference(SplitPackage, name, kind, output);

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

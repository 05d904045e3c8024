using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Inference;

public class GraphVerifierTests
{
    [Fact]
    public void The_tiny_package_verifies() => GraphVerifier.Verify(ModelPackage.Load(TestData.TinyPackage));

    [Fact]
    public void A_swapped_interpreter_graph_is_named_even_when_no_explainer_uses_it()
    {
        using var dir = TestData.CopyTinyPackage();
        File.Copy(dir.File("lmac-td.onnx"), dir.File("lmac-stft.onnx"), overwrite: true);
        var manifest = JsonNode.Parse(File.ReadAllText(dir.File("manifest.json")))!;
        var bytes = File.ReadAllBytes(dir.File("lmac-stft.onnx"));
        manifest["files"]!["lmac-stft.onnx"]!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        manifest["files"]!["lmac-stft.onnx"]!["bytes"] = bytes.Length;
        File.WriteAllText(dir.File("manifest.json"), manifest.ToJsonString());

        var e = Assert.Throws<ModelPackageException>(() => GraphVerifier.Verify(ModelPackage.Load(dir.Path)));
        Assert.Equal(dir.File("lmac-stft.onnx"), e.File);
        Assert.Contains("waveform", e.Message, StringComparison.Ordinal);
    }
}

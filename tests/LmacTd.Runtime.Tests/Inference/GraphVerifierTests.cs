using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Tests.Packages;

namespace LmacTd.Runtime.Tests.Inference;

public class GraphVerifierTests
{
    [Fact]
    public void The_tiny_package_verifies_and_its_classifier_takes_any_frame_count()
    {
        var package = ModelPackage.Load(TestData.TinyPackage);
        Assert.Equal([1], package.Manifest.Classifier.Input("logmel").FrameAxes);
        Assert.All(package.Manifest.Classifier.Outputs.Skip(1), o => Assert.Equal([2], o.FrameAxes));
        GraphVerifier.Verify(package);
    }

    [Fact]
    public void A_package_whose_classifier_fixes_431_frames_still_verifies_and_explains()
    {
        using var dir = FixedFramesPackage.Make();
        var package = ModelPackage.Load(dir.Path);
        Assert.Empty(package.Manifest.Classifier.Input("logmel").FrameAxes);
        GraphVerifier.Verify(package);

        var x = TestData.Noise(24000, 11);
        using var fixedExplainer = new Explainer(package, TestData.Options(InterpreterKind.LmacStft));
        using var symbolicExplainer = new Explainer(ModelPackage.Load(TestData.TinyPackage), TestData.Options(InterpreterKind.LmacStft));
        var a = Assert.Single(fixedExplainer.Explain(x, 16000).Windows);
        var b = Assert.Single(symbolicExplainer.Explain(x, 16000).Windows);
        // The same weights and the same nodes: at 431 frames the two graphs agree to float32 rounding.
        Assert.True(TestData.MaxAbsDiff(a.Logits, b.Logits) <= 1e-6f * TestData.MaxAbs(b.Logits));
        Assert.True(TestData.MaxAbsDiff(a.Evidence!.Q, b.Evidence!.Q) <= 1e-6f);
    }

    [Fact]
    public void A_manifest_that_says_frames_for_a_classifier_of_fixed_frames_is_refused_naming_the_graph()
    {
        using var dir = FixedFramesPackage.Make();
        EditManifest(dir, m => m["classifier"]!["inputs"]![0]!["shape"]![1] = "frames");
        var e = Assert.Throws<ModelPackageException>(() => GraphVerifier.Verify(ModelPackage.Load(dir.Path)));
        Assert.Equal(dir.File("classifier.onnx"), e.File);
        Assert.Contains("input 'logmel' has shape [batch, 431, 80] in the graph, the manifest says [batch, frames, 80]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_that_fixes_431_frames_for_a_classifier_of_any_is_refused_naming_the_graph()
    {
        using var dir = TestData.CopyTinyPackage();
        EditManifest(dir, m => m["classifier"]!["inputs"]![0]!["shape"]![1] = 431);
        var e = Assert.Throws<ModelPackageException>(() => GraphVerifier.Verify(ModelPackage.Load(dir.Path)));
        Assert.Equal(dir.File("classifier.onnx"), e.File);
        Assert.Contains("input 'logmel' has shape [batch, frames, 80] in the graph, the manifest says [batch, 431, 80]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_fixed_dimension_is_refused_with_the_tensor_named()
    {
        using var dir = FixedFramesPackage.Make();
        // rep3 with 52 frames everywhere the manifest names it (so the manifest itself is consistent).
        EditManifest(dir, m =>
        {
            foreach (var graph in new[] { m["classifier"]!["outputs"]! }.Concat(m["interpreters"]!.AsObject().Select(i => i.Value!["inputs"]!)))
                graph.AsArray().First(t => (string)t!["name"]! == "rep3")!["shape"]![2] = 52;
        });
        var e = Assert.Throws<ModelPackageException>(() => GraphVerifier.Verify(ModelPackage.Load(dir.Path)));
        Assert.Equal(dir.File("classifier.onnx"), e.File);
        Assert.Contains("output 'rep3' has shape [batch, 16, 53, 10] in the graph, the manifest says [batch, 16, 52, 10]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_representation_of_another_size_at_the_packages_frames_is_found_by_a_run()
    {
        // The symbolic graph cannot say rep3's size before it runs: the verifier runs it once at 431 frames.
        using var dir = TestData.CopyTinyPackage();
        EditManifest(dir, m =>
        {
            foreach (var graph in new[] { m["classifier"]!["outputs"]! }.Concat(m["interpreters"]!.AsObject().Select(i => i.Value!["inputs"]!)))
                graph.AsArray().First(t => (string)t!["name"]! == "rep3")!["shape"]![2] = 52;
        });
        var e = Assert.Throws<ModelPackageException>(() => GraphVerifier.Verify(ModelPackage.Load(dir.Path)));
        Assert.Equal(dir.File("classifier.onnx"), e.File);
        Assert.Contains("at frontEnd.frames the graph's outputs are not the shapes the manifest gives", e.Message, StringComparison.Ordinal);
        Assert.Contains("rep3 float32 [batch, 16, frames, 10]", e.Message, StringComparison.Ordinal);
    }

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

    private static void EditManifest(TempDir dir, Action<JsonNode> edit)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(dir.File("manifest.json")))!;
        edit(manifest);
        File.WriteAllText(dir.File("manifest.json"), manifest.ToJsonString());
    }
}

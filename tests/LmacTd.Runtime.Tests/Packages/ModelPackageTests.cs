using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Packages;

public class ModelPackageTests
{
    [Fact]
    public void Loads_the_tiny_package()
    {
        var p = ModelPackage.Load(TestData.TinyPackage);
        Assert.Equal(12, p.Labels.Count);
        Assert.Equal(16000, p.Manifest.SampleRate);
        Assert.Equal(80000, p.Manifest.ClipSamples);
        Assert.Equal(431, p.Manifest.FrontEnd.Frames);
        Assert.True(p.Manifest.Has(InterpreterKind.LmacTd));
        Assert.True(p.Manifest.Has(InterpreterKind.LmacStft));
        Assert.Equal([TensorSpec.BatchDimension, 431, 80], p.Manifest.Classifier.Input("logmel").Shape);
        Assert.Equal(425, p.Manifest.Interpreter<LmacStftSpec>()!.MaskFrames);
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load("/nonexistent/package"));
        Assert.Equal("/nonexistent/package", e.File);
    }

    [Fact]
    public void A_missing_manifest_is_named()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.EndsWith("manifest.json", e.File, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classifier.onnx")]
    [InlineData("lmac-td.onnx")]
    [InlineData("labels.txt")]
    public void A_missing_model_file_is_named(string file)
    {
        using var dir = TestData.CopyTinyPackage();
        File.Delete(dir.File(file));
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Equal(dir.File(file), e.File);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sha256_mismatch_is_named()
    {
        using var dir = TestData.CopyTinyPackage();
        var bytes = File.ReadAllBytes(dir.File("lmac-stft.onnx"));
        bytes[^10] ^= 0x5A;
        File.WriteAllBytes(dir.File("lmac-stft.onnx"), bytes);
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Equal(dir.File("lmac-stft.onnx"), e.File);
        Assert.Contains("sha256 mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_size_mismatch_is_named()
    {
        using var dir = TestData.CopyTinyPackage();
        File.AppendAllText(dir.File("labels.txt"), "extra\n");
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Equal(dir.File("labels.txt"), e.File);
        Assert.Contains("size", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ManifestDamage() => new()
    {
        { "format=lmactd-package/2", "format is 'lmactd-package/2'" },
        { "frontEnd.frames=430", "frontEnd.frames is 430" },
        { "frontEnd.window=hann", "frontEnd.window is 'hann'" },
        { "frontEnd.nFft=1000", "nFft must be a power of two" },
        { "normalisation.kind=peak", "normalisation.kind is 'peak'" },
        { "labels.count=13", "logits: shape [batch, 12], the contract expects [batch, 13]" },
        { "-classifier.outputs.rep4", "missing rep4" },
        { "classifier.outputs.logits.name=scores", "unexpected tensor 'scores'" },
        { "classifier.inputs.logmel.shape=[batch,431,64]", "expects [batch, 431, 80]" },
        { "classifier.inputs.logmel.shape=[batch,frames,64]", "shape [batch, frames, 64], the contract expects [batch, 431, 80]" },
        { "classifier.inputs.logmel.shape=[batch,431,frames]", "logmel.shape: dimension 2 is \"frames\", which only 'logmel' may be, at dimension 1" },
        { "classifier.inputs.logmel.shape=[frames,431,80]", "dimension 0 must be a positive integer (or \"batch\" first, or \"frames\")" },
        { "classifier.outputs.logits.shape=[batch,frames]", "classifier.outputs.logits.shape: dimension 1 is \"frames\"" },
        { "interpreters.lmac-stft.inputs.rep6.shape=[batch,128,frames,2]", "interpreters.lmac-stft.inputs.rep6.shape: dimension 2 is \"frames\"" },
        { "interpreters.lmac-td.outputs.mask.shape=[batch,8,9000]", "expects [batch, 8, 9999]" },
        { "interpreters.lmac-stft.maskBins=512", "maskBins is 512" },
        { "-files.lmac-td.onnx", "files has no entry for 'lmac-td.onnx'" },
        { "-interpreters.lmac-td;-interpreters.lmac-stft", "holds none (expected lmac-td, lmac-stft" },
    };

    [Theory]
    [MemberData(nameof(ManifestDamage))]
    public void Manifest_errors_name_the_manifest_and_the_field(string edit, string expected)
    {
        using var dir = TestData.CopyTinyPackage();
        var path = dir.File("manifest.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var part in edit.Split(';'))
        {
            Apply(root, part);
        }

        File.WriteAllText(path, root.ToJsonString());
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Equal(path, e.File);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_reported()
    {
        using var dir = TestData.CopyTinyPackage();
        File.WriteAllText(dir.File("manifest.json"), "{ \"format\": ");
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_must_match_their_count()
    {
        using var dir = TestData.CopyTinyPackage();
        RewriteFile(dir, "labels.txt", string.Join("\n", Enumerable.Range(0, 11).Select(i => $"c{i}")) + "\n");
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Equal(dir.File("labels.txt"), e.File);
        Assert.Contains("has 11 labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_whose_inputs_differ_from_the_manifest_is_refused_when_opened()
    {
        // The L-MAC graph in the classifier's place: its inputs are rep6..rep3, not logmel.
        using var dir = TestData.CopyTinyPackage();
        File.Copy(dir.File("lmac-stft.onnx"), dir.File("classifier.onnx"), overwrite: true);
        UpdateDigest(dir, "classifier.onnx");
        var package = ModelPackage.Load(dir.Path);
        var e = Assert.Throws<ModelPackageException>(() => new Explainer(package, TestData.Options(InterpreterKind.LmacStft)));
        Assert.Equal(dir.File("classifier.onnx"), e.File);
        Assert.Contains("logmel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_whose_outputs_differ_from_the_manifest_is_refused_when_opened()
    {
        // The L-MAC graph in LMAC-TD's place: no waveform input, and a mask of another shape.
        using var dir = TestData.CopyTinyPackage();
        File.Copy(dir.File("lmac-stft.onnx"), dir.File("lmac-td.onnx"), overwrite: true);
        UpdateDigest(dir, "lmac-td.onnx");
        var package = ModelPackage.Load(dir.Path);
        var e = Assert.Throws<ModelPackageException>(() => new Explainer(package, TestData.Options(InterpreterKind.LmacTd)));
        Assert.Equal(dir.File("lmac-td.onnx"), e.File);
        Assert.Contains("waveform", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_file_that_is_not_onnx_is_refused_when_opened()
    {
        using var dir = TestData.CopyTinyPackage();
        RewriteFile(dir, "lmac-stft.onnx", "not a graph");
        var package = ModelPackage.Load(dir.Path);
        var e = Assert.Throws<ModelPackageException>(() => new Explainer(package, TestData.Options(InterpreterKind.LmacStft)));
        Assert.Equal(dir.File("lmac-stft.onnx"), e.File);
    }

    private static void RewriteFile(TempDir dir, string file, string content)
    {
        File.WriteAllText(dir.File(file), content);
        UpdateDigest(dir, file);
    }

    private static void UpdateDigest(TempDir dir, string file)
    {
        var path = dir.File("manifest.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var bytes = File.ReadAllBytes(dir.File(file));
        root["files"]![file]!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        root["files"]![file]!["bytes"] = bytes.Length;
        File.WriteAllText(path, root.ToJsonString());
    }

    // "a.b=v" sets a field (arrays of tensors are addressed by name), "-a.b" removes one.
    private static void Apply(JsonNode root, string edit)
    {
        bool remove = edit.StartsWith('-');
        var (path, value) = remove ? (edit[1..], null) : (edit[..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 1)..]);
        var keys = SplitPath(path);
        JsonNode node = root;
        for (int i = 0; i < keys.Count - 1; i++) node = Child(node, keys[i]);
        var last = keys[^1];
        if (remove)
        {
            if (node is JsonArray arr) arr.Remove(arr.First(t => t!["name"]!.GetValue<string>() == last));
            else node.AsObject().Remove(last);
            return;
        }

        node[last] = value!.StartsWith('[') ? JsonNode.Parse(value.Replace("batch", "\"batch\"", StringComparison.Ordinal).Replace("frames", "\"frames\"", StringComparison.Ordinal))
            : int.TryParse(value, out var n) ? n : value;
    }

    private static JsonNode Child(JsonNode node, string key) =>
        node is JsonArray arr ? arr.First(t => t!["name"]!.GetValue<string>() == key)! : node[key]!;

    // Dotted paths where a key may itself hold a dot (file names such as lmac-td.onnx).
    private static List<string> SplitPath(string path)
    {
        var parts = path.Split('.').ToList();
        for (int i = 0; i < parts.Count - 1; i++)
        {
            if (parts[i + 1] == "onnx" || parts[i + 1] == "txt")
            {
                parts[i] += "." + parts[i + 1];
                parts.RemoveAt(i + 1);
            }
        }

        return parts;
    }
}

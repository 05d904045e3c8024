using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Runtime.Tests.Packages;

/// <summary>
/// The tiny package as packages were before the classifier's frame axis became symbolic: a copy whose classifier graph
/// ONNX Runtime saved with its frame axes fixed (free-dimension overrides at 431 frames, the representations' sizes
/// there), its manifest saying 431 and listing the new file's digest.
/// </summary>
internal static class FixedFramesPackage
{
    public static TempDir Make()
    {
        var dir = TestData.CopyTinyPackage();
        var manifest = JsonNode.Parse(File.ReadAllText(dir.File("manifest.json")))!;
        var classifier = manifest["classifier"]!;
        int frames = (int)manifest["frontEnd"]!["frames"]!;
        string saved = dir.File("classifier.fixed.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, OptimizedModelFilePath = saved })
        {
            options.AddFreeDimensionOverrideByName("frames", frames);
            foreach (var rep in classifier["outputs"]!.AsArray().Skip(1))
                options.AddFreeDimensionOverrideByName($"{(string)rep!["name"]!}_frames", (long)rep["shape"]![2]!);
            using var session = new InferenceSession(dir.File("classifier.onnx"), options);
        }

        File.Move(saved, dir.File("classifier.onnx"), overwrite: true);
        classifier["inputs"]![0]!["shape"]![1] = frames;
        var bytes = File.ReadAllBytes(dir.File("classifier.onnx"));
        manifest["files"]!["classifier.onnx"]!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        manifest["files"]!["classifier.onnx"]!["bytes"] = bytes.Length;
        File.WriteAllText(dir.File("manifest.json"), manifest.ToJsonString());
        return dir;
    }
}

using System.Text.Json.Nodes;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Packages;

/// <summary>File names in a manifest with NUL or control characters are the manifest's fault, said so.</summary>
public class ManifestFileNameTests
{
    public static TheoryData<string, string> Damage() => new()
    {
        { "labels", "labels.file" },
        { "classifier", "classifier.file" },
        { "files", "files" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_control_character_in_a_file_name_names_the_manifest_and_the_entry(string where, string entry)
    {
        foreach (var bad in new[] { "lab\0els.txt", "labels\u0007.txt", "labels.txt\n" })
        {
            using var dir = TestData.CopyTinyPackage();
            var path = dir.File("manifest.json");
            var root = JsonNode.Parse(File.ReadAllText(path))!;
            switch (where)
            {
                case "labels":
                    root["labels"]!["file"] = bad;
                    break;
                case "classifier":
                    root["classifier"]!["file"] = bad;
                    break;
                default:
                    var files = root["files"]!.AsObject();
                    var entry0 = files["labels.txt"]!.DeepClone();
                    files.Add(bad, entry0);
                    break;
            }

            File.WriteAllText(path, root.ToJsonString());
            var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
            Assert.Equal(path, e.File);
            Assert.Contains(entry + ": the file name", e.Message, StringComparison.Ordinal);
            Assert.Contains("control character", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("\0", e.Message, StringComparison.Ordinal);
        }
    }
}

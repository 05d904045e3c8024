using System.IO.Compression;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Packages;

// LoadDefault (the app's models/default, as LmacTd.Models.Default lays it out) and LoadArchive (zipped packages).
public class PackageLocationTests
{
    [Fact]
    public void LoadDefault_opens_models_default_under_the_app_folder()
    {
        using var app = new TempDir();
        CopyTiny(Path.Combine(app.Path, "models", "default"));

        var package = ModelPackage.LoadDefault(app.Path, verifyDigests: true);

        Assert.Equal(Path.Combine(app.Path, "models", "default"), package.Directory);
        Assert.Equal(ModelPackage.Load(TestData.TinyPackage).Labels, package.Labels);
    }

    [Fact]
    public void LoadDefault_without_the_models_package_names_the_folder_and_the_package()
    {
        using var app = new TempDir();
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.LoadDefault(app.Path, verifyDigests: true));
        Assert.Equal(Path.Combine(app.Path, "models", "default"), e.File);
        Assert.Contains("LmacTd.Models.Default", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDefault_checks_the_package_as_Load_does()
    {
        using var app = new TempDir();
        var folder = Path.Combine(app.Path, "models", "default");
        CopyTiny(folder);
        File.AppendAllText(Path.Combine(folder, "labels.txt"), "extra\n");
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.LoadDefault(app.Path, verifyDigests: true));
        Assert.Equal(Path.Combine(folder, "labels.txt"), e.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tiny-package/")]
    public void A_zipped_package_loads_with_its_files_at_the_root_or_in_one_folder(string prefix)
    {
        using var dir = new TempDir();
        var zip = Zip(dir.File("p.zip"), prefix);
        var target = dir.File("unpacked");

        var package = ModelPackage.LoadArchive(zip, target);

        var expected = prefix.Length == 0 ? target : Path.Combine(target, "tiny-package");
        Assert.Equal(expected, package.Directory);
        Assert.Equal(ModelPackage.Load(TestData.TinyPackage).Manifest.Files.Keys.Order(), package.Manifest.Files.Keys.Order());
        foreach (var name in package.Manifest.Files.Keys)
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.TinyPackage, name)), File.ReadAllBytes(package.PathOf(name)));
    }

    [Fact]
    public void A_zipped_package_loads_from_a_stream_into_an_empty_existing_folder()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Zip(dir.File("p.zip"), ""));
        var target = dir.File("empty");
        Directory.CreateDirectory(target);

        using var stream = new MemoryStream(bytes);
        var package = ModelPackage.LoadArchive(stream, target);

        Assert.Equal(target, package.Directory);
        Assert.True(File.Exists(Path.Combine(target, "manifest.json")));
        Assert.True(stream.CanRead, "the caller's stream is left open");
    }

    [Fact]
    public void Extraction_refuses_a_folder_that_is_not_empty_and_leaves_it_as_it_was()
    {
        using var dir = new TempDir();
        var zip = Zip(dir.File("p.zip"), "");
        var target = dir.File("busy");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "x");

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.LoadArchive(zip, target));

        Assert.Equal(target, e.File);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public void Not_a_zip_is_named_and_nothing_is_left_behind()
    {
        using var dir = new TempDir();
        var notZip = dir.File("model.zip");
        File.WriteAllText(notZip, "this is not a zip archive");

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.LoadArchive(notZip, dir.File("out")));

        Assert.Equal(notZip, e.File);
        Assert.Equal([notZip], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_zip_without_a_manifest_is_named_and_nothing_is_left_behind()
    {
        using var dir = new TempDir();
        var zip = dir.File("other.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(Path.Combine(TestData.TinyPackage, "labels.txt"), "labels.txt");
        }

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.LoadArchive(zip, dir.File("out")));

        Assert.Equal(zip, e.File);
        Assert.Contains("manifest.json", e.Message, StringComparison.Ordinal);
        Assert.Equal([zip], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_damaged_file_inside_the_zip_is_named_at_its_extracted_path()
    {
        using var dir = new TempDir();
        using var tiny = TestData.CopyTinyPackage();
        var bytes = File.ReadAllBytes(tiny.File("lmac-td.onnx"));
        bytes[^10] ^= 0x5A;
        File.WriteAllBytes(tiny.File("lmac-td.onnx"), bytes);
        var zip = dir.File("damaged.zip");
        ZipFile.CreateFromDirectory(tiny.Path, zip);

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.LoadArchive(zip, dir.File("out")));

        Assert.Equal(Path.Combine(dir.File("out"), "lmac-td.onnx"), e.File);
        Assert.Contains("sha256 mismatch", e.Message, StringComparison.Ordinal);
    }

    private static void CopyTiny(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(TestData.TinyPackage)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
    }

    private static string Zip(string zip, string prefix)
    {
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var f in Directory.GetFiles(TestData.TinyPackage))
            archive.CreateEntryFromFile(f, prefix + Path.GetFileName(f), CompressionLevel.Fastest);
        return zip;
    }
}

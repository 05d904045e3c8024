using System.Security.Cryptography;
using System.Text;

namespace LmacTd.Runtime.Packages;

/// <summary>
/// A model package folder (format <c>lmactd-package/1</c>, see models/README.md): its checked manifest,
/// its labels and the paths of its graphs. Opened from a folder (<see cref="Load"/>), from the app's output
/// (<see cref="LoadDefault(bool)"/>, with the <c>LmacTd.Models.Default</c> NuGet package) or from a zip archive
/// (<see cref="LoadArchive(Stream, string, bool)"/>). Loading checks the manifest against the contract and every file's
/// size and sha256; each graph's actual inputs and outputs are checked when an explainer opens it.
/// </summary>
public sealed class ModelPackage
{
    private ModelPackage(string directory, PackageManifest manifest, IReadOnlyList<string> labels)
    {
        Directory = directory;
        Manifest = manifest;
        Labels = labels;
    }

    /// <summary>
    /// Where <see cref="LoadDefault(bool)"/> looks, relative to the app's folder: <c>models/default</c>, where the
    /// <c>LmacTd.Models.Default</c> NuGet package puts the default model.
    /// </summary>
    public const string DefaultFolder = "models/default";

    /// <summary>The package folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The manifest.</summary>
    internal PackageManifest Manifest { get; }

    /// <summary>Class labels in class-index order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The package's name from its manifest.</summary>
    public string Name => Manifest.Name;

    /// <summary>The model's sample rate in Hz (input at any rate is resampled to it).</summary>
    public int SampleRate => Manifest.SampleRate;

    /// <summary>The length of one window of the model in seconds (a stream's output lags its input by this much).</summary>
    public double ClipSeconds => (double)Manifest.ClipSamples / Manifest.SampleRate;

    /// <summary>The interpreter kinds the package holds, in the registry's order of preference (the first is the default).</summary>
    public IReadOnlyList<InterpreterKind> InterpreterKinds => Manifest.InterpreterKinds;

    /// <summary>The full path of a file of the package.</summary>
    internal string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Loads and checks the package in <paramref name="directory"/>.</summary>
    /// <param name="directory">The package folder (the one holding <c>manifest.json</c>).</param>
    /// <param name="verifyDigests">Check every file's sha256 (on by default; sizes are always checked).</param>
    /// <exception cref="ModelPackageException">The folder, the manifest or a file is missing, damaged or off-contract.</exception>
    public static ModelPackage Load(string directory, bool verifyDigests = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir)) throw new ModelPackageException(dir, "model package folder not found");
        var manifestPath = Path.Combine(dir, "manifest.json");
        if (!File.Exists(manifestPath)) throw new ModelPackageException(manifestPath, "missing: a model package needs manifest.json");

        var manifest = ManifestReader.Read(manifestPath);
        foreach (var (name, entry) in manifest.Files)
        {
            CheckFile(Path.Combine(dir, name), entry, verifyDigests);
        }

        var labels = ReadLabels(Path.Combine(dir, manifest.LabelsFile), manifest.LabelCount);
        return new ModelPackage(dir, manifest, labels);
    }

    /// <summary>
    /// Loads the default model that the <c>LmacTd.Models.Default</c> NuGet package copies to the app's output, the
    /// folder <c>models/default</c> beside the app's assemblies (<see cref="AppContext.BaseDirectory"/>).
    /// </summary>
    /// <param name="verifyDigests">Check every file's sha256 (on by default; sizes are always checked).</param>
    /// <exception cref="ModelPackageException">The default model is not there (the package is not referenced), or is damaged.</exception>
    public static ModelPackage LoadDefault(bool verifyDigests = true) => LoadDefault(AppContext.BaseDirectory, verifyDigests);

    /// <summary>The default model under <paramref name="baseDirectory"/>: <see cref="LoadDefault(bool)"/> with the app's folder given.</summary>
    internal static ModelPackage LoadDefault(string baseDirectory, bool verifyDigests)
    {
        var dir = Path.GetFullPath(Path.Combine(baseDirectory, DefaultFolder));
        if (!File.Exists(Path.Combine(dir, "manifest.json")))
        {
            throw new ModelPackageException(dir, "no default model here: add the NuGet package LmacTd.Models.Default to the app " +
                                                 "(it copies the model to the output as models/default), or load a folder with ModelPackage.Load");
        }

        return Load(dir, verifyDigests);
    }

    /// <summary>
    /// Extracts a zipped model package (the package's files at the archive's root, or in one folder at its root) into
    /// <paramref name="extractTo"/> and loads it from there, as <see cref="Load"/> does.
    /// </summary>
    /// <param name="archive">A readable zip archive; it is read to its end and left open.</param>
    /// <param name="extractTo">A folder that does not exist yet or is empty; it holds the package afterwards.</param>
    /// <param name="verifyDigests">Check every file's sha256 (on by default; sizes are always checked).</param>
    /// <exception cref="ModelPackageException">The archive is not a zip, holds no package, or the package is damaged; or <paramref name="extractTo"/> is not empty.</exception>
    public static ModelPackage LoadArchive(Stream archive, string extractTo, bool verifyDigests = true)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentException.ThrowIfNullOrWhiteSpace(extractTo);
        if (!archive.CanRead) throw new ArgumentException("the archive stream is not readable", nameof(archive));
        var name = archive is FileStream fs ? fs.Name : "(model package archive stream)";
        return Load(PackageArchive.Extract(archive, name, extractTo), verifyDigests);
    }

    /// <summary>Extracts the zipped model package <paramref name="zipFile"/> into <paramref name="extractTo"/> and loads it; see <see cref="LoadArchive(Stream, string, bool)"/>.</summary>
    /// <exception cref="ModelPackageException">The file is missing, not a zip, holds no package, or the package is damaged; or <paramref name="extractTo"/> is not empty.</exception>
    public static ModelPackage LoadArchive(string zipFile, string extractTo, bool verifyDigests = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zipFile);
        var path = Path.GetFullPath(zipFile);
        if (!File.Exists(path)) throw new ModelPackageException(path, "model package archive not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return LoadArchive(stream, extractTo, verifyDigests);
    }

    private static void CheckFile(string path, PackageFileEntry entry, bool verifyDigest)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelPackageException(path, "missing (listed in manifest.json files)");
        if (info.Length != entry.Bytes)
            throw new ModelPackageException(path, $"size is {info.Length} bytes, manifest.json says {entry.Bytes}");
        if (!verifyDigest) return;

        string actual;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (actual != entry.Sha256)
            throw new ModelPackageException(path, $"sha256 mismatch: file has {actual}, manifest.json says {entry.Sha256}");
    }

    private static string[] ReadLabels(string path, int count)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllText(path, new UTF8Encoding(false, true)).Split('\n');
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelPackageException(path, "not valid UTF-8", e);
        }

        // A single trailing newline is fine; anything else blank is not.
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        lines = [.. lines.Select(l => l.TrimEnd('\r'))];
        int blank = Array.FindIndex(lines, l => l.Trim().Length == 0);
        if (blank >= 0) throw new ModelPackageException(path, $"line {blank + 1} is blank");
        if (lines.Length != count)
            throw new ModelPackageException(path, $"has {lines.Length} labels, manifest.json says {count}");
        return lines;
    }
}

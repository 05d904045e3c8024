using System.IO.Compression;

namespace LmacTd.Runtime.Packages;

/// <summary>
/// Unpacks a zipped model package. The graphs are opened by path (ONNX Runtime maps them from disk), so an archive is
/// extracted to a folder rather than read in place. Extraction goes to a temporary sibling folder that is renamed at
/// the end: a failed or interrupted extraction leaves nothing half-written at the destination.
/// </summary>
internal static class PackageArchive
{
    /// <summary>Extracts <paramref name="archive"/> into <paramref name="extractTo"/>; returns the folder holding <c>manifest.json</c>.</summary>
    /// <param name="archive">The zip archive.</param>
    /// <param name="name">What to call the archive in errors (its file name, or a description of the stream).</param>
    /// <param name="extractTo">A folder that does not exist yet or is empty.</param>
    public static string Extract(Stream archive, string name, string extractTo)
    {
        var dest = Path.GetFullPath(extractTo);
        if (File.Exists(dest)) throw new ModelPackageException(dest, "cannot extract a model package here: it is a file");
        if (Directory.Exists(dest) && Directory.EnumerateFileSystemEntries(dest).Any())
            throw new ModelPackageException(dest, "cannot extract a model package here: the folder is not empty");

        var parent = Path.GetDirectoryName(dest) ?? throw new ModelPackageException(dest, "cannot extract a model package to a root folder");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(dest)}.{Guid.NewGuid():N}.partial");
        try
        {
            try
            {
                // ExtractToDirectory refuses entries that would land outside the destination ("../" names).
                ZipFile.ExtractToDirectory(archive, staging);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
            {
                throw new ModelPackageException(name, $"cannot be extracted as a zip archive: {e.Message}", e);
            }

            var root = PackageRoot(staging) ?? throw new ModelPackageException(name, "the archive holds no manifest.json, at its root or in one folder at its root");
            if (Directory.Exists(dest)) Directory.Delete(dest);
            Directory.Move(staging, dest);
            return root == staging ? dest : Path.Combine(dest, Path.GetFileName(root));
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static string? PackageRoot(string folder)
    {
        if (File.Exists(Path.Combine(folder, "manifest.json"))) return folder;
        var entries = Directory.GetFileSystemEntries(folder);
        if (entries.Length == 1 && Directory.Exists(entries[0]) && File.Exists(Path.Combine(entries[0], "manifest.json"))) return entries[0];
        return null;
    }
}

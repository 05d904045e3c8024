namespace LmacTd.Runtime.IO;

/// <summary>
/// Writes a file so that it either appears whole or not at all: the content goes to a temporary file in the
/// same folder, which is renamed over the target only after it has been written and flushed.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure nothing is left behind.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the content into the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it exists, ignoring failures (for clean-up paths).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
            // Clean-up is best effort; the original error matters more.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}

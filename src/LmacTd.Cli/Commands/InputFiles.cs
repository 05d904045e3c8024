namespace LmacTd.Cli.Commands;

/// <summary>
/// Turns the command line's paths into the list of audio files: a file stays as given, a folder becomes the audio
/// files in it (sorted by path; with <c>recursive</c>, its subfolders' too).
/// </summary>
/// <remarks>
/// A folder's audio files are chosen by extension, not by content: listing a folder then reads no file, the choice is
/// predictable (a <c>notes.txt</c> is never explained, a damaged <c>x.wav</c> is reported as damaged rather than
/// silently skipped), and a file named explicitly is always tried, whatever its extension, so its content decides.
/// </remarks>
internal static class InputFiles
{
    /// <summary>File extensions taken from a folder (the formats the decoder knows or is expected to know).</summary>
    public static readonly IReadOnlyList<string> AudioExtensions =
        [".wav", ".wave", ".mp3", ".ogg", ".oga", ".opus", ".flac", ".aif", ".aiff", ".aifc"];

    private static readonly HashSet<string> Extensions = new(AudioExtensions, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a folder listing takes <paramref name="file"/>: an audio extension and not one of <c>explain</c>'s own outputs.</summary>
    public static bool IsAudio(string file) => Extensions.Contains(Path.GetExtension(file)) && !IsOwnOutput(file);

    /// <summary>The audio files a folder holds, sorted by path (ordinal), so every run and every shard sees one order.</summary>
    /// <exception cref="IOException">The folder holds no audio file (the message names it and the extensions looked for).</exception>
    public static IReadOnlyList<string> InFolder(string folder, bool recursive)
    {
        var found = Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(IsAudio)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (found.Count == 0)
        {
            var hint = !recursive && Directory.EnumerateDirectories(folder).Any() ? " (add --recursive for its subfolders)" : "";
            throw new IOException($"{folder}: no audio files ({string.Join(", ", AudioExtensions)}){hint}");
        }

        return found;
    }

    /// <summary>
    /// Files as given and folders expanded, in the order given; a file named twice (directly or through a folder) is
    /// kept once. A path that does not exist stays in the list, so that it is reported with the files that fail.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, bool recursive)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var path in paths)
        {
            var found = Directory.Exists(path) ? InFolder(path, recursive) : [path];
            foreach (var f in found)
            {
                if (seen.Add(Path.GetFullPath(f))) files.Add(f);
            }
        }

        return files;
    }

    // `lmactd explain` writes NAME.explanation.wav and NAME.masked-out.wav beside its inputs: never take those as inputs.
    private static bool IsOwnOutput(string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        return stem.EndsWith(".explanation", StringComparison.Ordinal) || stem.EndsWith(".masked-out", StringComparison.Ordinal);
    }
}

namespace LmacTd.Cli.Commands;

/// <summary>Turns <c>lmactd eval</c>'s INPUT (a folder or a CSV) and <c>--labels</c> into the list of clips.</summary>
internal static class EvalInputs
{
    /// <summary>
    /// The clips of <paramref name="input"/>: every audio file under a folder (recursive, sorted by path), or the
    /// rows of a CSV <c>path,label</c> (a header row <c>path,label</c> is skipped; relative paths are taken from the
    /// CSV's folder). Labels from <paramref name="labelsCsv"/> are matched by full path, then by file name.
    /// </summary>
    /// <exception cref="FileNotFoundException">The input or the labels file does not exist.</exception>
    /// <exception cref="FormatException">A CSV row is malformed (the message names file and line).</exception>
    public static IReadOnlyList<EvalItem> Resolve(string input, string? labelsCsv)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        List<EvalItem> items;
        if (Directory.Exists(input))
        {
            items = InputFiles.InFolder(input, recursive: true).Select(f => new EvalItem(f, null)).ToList();
        }
        else if (File.Exists(input))
        {
            items = ReadCsv(input).ToList();
        }
        else
        {
            throw new FileNotFoundException($"{input}: no such folder or CSV file", input);
        }

        if (labelsCsv is not null)
        {
            if (!File.Exists(labelsCsv)) throw new FileNotFoundException($"{labelsCsv}: no such labels file", labelsCsv);
            var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in ReadCsv(labelsCsv))
            {
                if (row.Label is null) continue;
                byPath[Path.GetFullPath(row.Path)] = row.Label;
                byName[Path.GetFileName(row.Path)] = row.Label;
            }

            items = items.Select(i => i with
            {
                Label = i.Label
                    ?? (byPath.TryGetValue(Path.GetFullPath(i.Path), out var l) ? l
                    : byName.TryGetValue(Path.GetFileName(i.Path), out var n) ? n : null),
            }).ToList();
        }

        return items;
    }

    /// <summary>Reads <c>path,label</c> rows; the label column is optional.</summary>
    public static IEnumerable<EvalItem> ReadCsv(string csv)
    {
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(csv)) ?? ".";
        int lineNo = 0;
        foreach (var raw in File.ReadLines(csv))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cols = line.Split(',');
            if (lineNo == 1 && cols[0].Trim().Equals("path", StringComparison.OrdinalIgnoreCase)) continue;
            if (cols.Length > 2) throw new FormatException($"{csv}:{lineNo}: expected 'path,label', found {cols.Length} columns");
            var path = cols[0].Trim();
            if (path.Length == 0) throw new FormatException($"{csv}:{lineNo}: empty path");
            var label = cols.Length == 2 && cols[1].Trim().Length > 0 ? cols[1].Trim() : null;
            yield return new EvalItem(Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path), label);
        }
    }

    /// <summary>
    /// sha256 of the input list: one line per clip, its path relative to the input (the folder, or the CSV's folder)
    /// and its label, then the speech pool's paths. Parts of a sharded run compare it, so a part made from another
    /// list (a file added, a label changed) is refused, while nodes may mount the data in different places.
    /// </summary>
    public static string Digest(string input, IReadOnlyList<EvalItem> items, IReadOnlyList<EvalItem> speechPool)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(speechPool);
        var root = Directory.Exists(input) ? Path.GetFullPath(input) : Path.GetDirectoryName(Path.GetFullPath(input)) ?? ".";
        var text = new System.Text.StringBuilder();
        foreach (var i in items) text.Append(Relative(root, i.Path)).Append('\t').Append(i.Label).Append('\n');
        foreach (var s in speechPool) text.Append("speech\t").Append(Relative(root, s.Path)).Append('\n');
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    // Forward slashes, so that a Windows node and a Linux node agree.
    private static string Relative(string root, string path) => Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/');
}

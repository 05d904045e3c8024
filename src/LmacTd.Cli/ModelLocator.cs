namespace LmacTd.Cli;

/// <summary>Finds the bundled default model package, <c>models/default</c>, when <c>--model</c> is not given.</summary>
public static class ModelLocator
{
    /// <summary>The default package's path relative to the repository root (or the folder of the executable).</summary>
    public const string DefaultRelative = "models/default";

    /// <summary>
    /// The first <c>models/default</c> holding a manifest, searching upwards from the current folder and then from
    /// the executable's folder; null when there is none.
    /// </summary>
    public static string? FindDefault()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultRelative);
                if (File.Exists(Path.Combine(candidate, "manifest.json"))) return candidate;
            }
        }

        return null;
    }
}

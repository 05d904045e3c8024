namespace LmacTd.Cli;

/// <summary>
/// Finds the default model package, <c>models/default</c>, when <c>--model</c> is not given: the repository's when run
/// inside a checkout, else the one the dotnet tool carries beside its assemblies.
/// </summary>
internal static class ModelLocator
{
    /// <summary>The default package's path relative to the repository root (or the folder of the executable).</summary>
    public const string DefaultRelative = "models/default";

    /// <summary>
    /// The first <c>models/default</c> holding a manifest, searching upwards from the current folder and then from
    /// the executable's folder (where the dotnet tool package puts its model); null when there is none.
    /// </summary>
    public static string? FindDefault() => FindDefault(Environment.CurrentDirectory, AppContext.BaseDirectory);

    /// <summary>
    /// The first <c>models/default</c> holding a manifest, searching upwards from each of <paramref name="starts"/> in
    /// turn; null when there is none.
    /// </summary>
    public static string? FindDefault(params string[] starts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultRelative);
                if (File.Exists(Path.Combine(candidate, "manifest.json"))) return candidate;
            }
        }

        return null;
    }

    /// <summary>The one-line error when no default model is found and no <c>--model</c> was given.</summary>
    public static string NotFoundMessage() =>
        $"error: no --model given and no {DefaultRelative} found above {Environment.CurrentDirectory} or beside the executable in " +
        $"{AppContext.BaseDirectory} (the dotnet tool lmactd carries one; give --model DIR otherwise)";
}

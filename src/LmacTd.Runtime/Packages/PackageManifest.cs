namespace LmacTd.Runtime.Packages;

/// <summary>The parsed and checked <c>manifest.json</c> of a model package (format <c>lmactd-package/1</c>).</summary>
public sealed class PackageManifest
{
    /// <summary>The only format this runtime reads.</summary>
    public const string SupportedFormat = "lmactd-package/1";

    /// <summary>The package's name.</summary>
    public required string Name { get; init; }

    /// <summary>One line a person reads.</summary>
    public required string Description { get; init; }

    /// <summary>The model's sample rate in Hz.</summary>
    public required int SampleRate { get; init; }

    /// <summary>Samples of one clip at <see cref="SampleRate"/>.</summary>
    public required int ClipSamples { get; init; }

    /// <summary>The classifier's front end.</summary>
    public required FrontEndSettings FrontEnd { get; init; }

    /// <summary>The labels file's name.</summary>
    public required string LabelsFile { get; init; }

    /// <summary>Number of classes.</summary>
    public required int LabelCount { get; init; }

    /// <summary>The classifier graph.</summary>
    public required GraphSpec Classifier { get; init; }

    /// <summary>The LMAC-TD interpreter, when the package has one.</summary>
    public LmacTdSpec? LmacTd { get; init; }

    /// <summary>The L-MAC interpreter, when the package has one.</summary>
    public LmacStftSpec? LmacStft { get; init; }

    /// <summary>Every file of the package except the manifest, with its size and digest.</summary>
    public required IReadOnlyDictionary<string, PackageFileEntry> Files { get; init; }

    /// <summary>The command that wrote the package, if recorded.</summary>
    public string? ProvenanceCommand { get; init; }

    /// <summary>Whether the package holds the interpreter <paramref name="kind"/>.</summary>
    public bool Has(InterpreterKind kind) => kind == InterpreterKind.LmacTd ? LmacTd is not null : LmacStft is not null;

    /// <summary>The graph of interpreter <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">The package does not hold it.</exception>
    public GraphSpec InterpreterGraph(InterpreterKind kind) => kind switch
    {
        InterpreterKind.LmacTd => LmacTd?.Graph,
        _ => LmacStft?.Graph,
    } ?? throw new InvalidOperationException($"package '{Name}' has no {InterpreterNames.Of(kind)} interpreter");
}

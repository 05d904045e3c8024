using LmacTd.Runtime.Interpreters;

namespace LmacTd.Runtime.Packages;

/// <summary>The parsed and checked <c>manifest.json</c> of a model package (format <c>lmactd-package/1</c>).</summary>
internal sealed class PackageManifest
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
    internal FrontEndSettings FrontEnd { get; init; } = null!;

    /// <summary>The labels file's name.</summary>
    public required string LabelsFile { get; init; }

    /// <summary>Number of classes.</summary>
    public required int LabelCount { get; init; }

    /// <summary>The classifier graph.</summary>
    internal GraphSpec Classifier { get; init; } = null!;

    /// <summary>
    /// Whether the classifier graph takes any number of log-mel frames (<c>"frames"</c> in its manifest shape), not only
    /// <c>frontEnd.frames</c>: then the SpeechBrain convention classifies L-MAC's masked spectrograms unpadded.
    /// </summary>
    internal bool ClassifierTakesAnyFrames => Classifier.Input("logmel").FrameAxes.Count > 0;

    /// <summary>The interpreters the package holds, by manifest key, as their kinds read them.</summary>
    internal IReadOnlyDictionary<string, InterpreterSpec> Interpreters { get; init; } = new Dictionary<string, InterpreterSpec>();

    /// <summary>The interpreter kinds the package holds, in the registry's order of preference.</summary>
    public IReadOnlyList<InterpreterKind> InterpreterKinds =>
        [.. InterpreterRegistry.All.Where(p => Interpreters.ContainsKey(p.Key)).Select(p => new InterpreterKind(p.Key))];

    /// <summary>Every file of the package except the manifest, with its size and digest.</summary>
    internal IReadOnlyDictionary<string, PackageFileEntry> Files { get; init; } = new Dictionary<string, PackageFileEntry>();

    /// <summary>
    /// The numeric precision of the package's graphs (manifest <c>precision.kind</c>): <c>fp32</c>, the default and what
    /// a manifest without <c>precision</c> means, or <c>int8</c> (weights quantised at export, activations at run time;
    /// inputs and outputs stay float32).
    /// </summary>
    public string Precision { get; init; } = Fp32;

    /// <summary>
    /// For a reduced-precision package, whether its faithfulness gate against its fp32 twin passed (<c>true</c>), failed
    /// (<c>false</c>) or was not run (<c>null</c>; always <c>null</c> for fp32).
    /// </summary>
    public bool? PrecisionGatePassed { get; init; }

    /// <summary>The precision of a package without a <c>precision</c> entry.</summary>
    public const string Fp32 = "fp32";

    /// <summary>The command that wrote the package, if recorded.</summary>
    public string? ProvenanceCommand { get; init; }

    /// <summary>Whether the package holds the interpreter <paramref name="kind"/>.</summary>
    public bool Has(InterpreterKind kind) => kind.Name is { } key && Interpreters.ContainsKey(key);

    /// <summary>The method's name as the paper's tables write it (<c>L-MAC</c>, <c>LMAC-TD alpha 0.75</c>).</summary>
    /// <exception cref="InvalidOperationException">The package does not hold <paramref name="kind"/>.</exception>
    public string InterpreterTitle(InterpreterKind kind) => InterpreterRegistry.Find(kind.Name)!.Title(Interpreter(kind));

    /// <summary>The entry of interpreter <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">The package does not hold it.</exception>
    internal InterpreterSpec Interpreter(InterpreterKind kind) =>
        kind.Name is { } key && Interpreters.TryGetValue(key, out var spec)
            ? spec : throw new InvalidOperationException($"package '{Name}' has no {kind} interpreter");

    /// <summary>The entry of interpreter kind <typeparamref name="T"/>, if the package holds one.</summary>
    internal T? Interpreter<T>() where T : InterpreterSpec => Interpreters.Values.OfType<T>().FirstOrDefault();
}

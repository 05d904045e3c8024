using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>The parsed arguments of <c>lmactd explain</c>.</summary>
/// <param name="Files">Input audio files and folders, as given.</param>
/// <param name="Model">Model package folder; null for the bundled default.</param>
/// <param name="OutDir">Output folder; null for next to each input.</param>
/// <param name="Device">Execution device.</param>
/// <param name="Interpreter">Interpreter; null for the package's default.</param>
/// <param name="Threads">CPU threads per graph run; 0 for ONNX Runtime's choice.</param>
/// <param name="OrtCache">Folder of ONNX Runtime's optimised graphs; null to optimise on every open.</param>
/// <param name="Format">WAV sample format of the outputs.</param>
/// <param name="Plot">Also write <c>NAME.png</c>: spectrograms and the relevance curve.</param>
/// <param name="Html">Also write <c>NAME.html</c>: a self-contained page to listen and look.</param>
/// <param name="Recursive">Take the audio files of a folder's subfolders too.</param>
/// <param name="Shard">Explain only this shard of the inputs; null for all.</param>
internal sealed record ExplainSettings(
    IReadOnlyList<string> Files,
    string? Model = null,
    string? OutDir = null,
    ExecutionDevice Device = ExecutionDevice.Auto,
    InterpreterKind? Interpreter = null,
    int Threads = 0,
    string? OrtCache = null,
    WavSampleFormat Format = WavSampleFormat.Float32,
    bool Recursive = false,
    Shard? Shard = null,
    bool Plot = false,
    bool Html = false);

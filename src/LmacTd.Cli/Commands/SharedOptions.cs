using System.CommandLine;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// The options that <c>explain</c>, <c>eval</c> and <c>bench</c> share, defined once so that their names, defaults,
/// checks and help read the same in every command. Each call makes a new option (an option belongs to one command).
/// </summary>
internal static class SharedOptions
{
    /// <summary><c>--model</c>: the model package folder; the bundled default when absent.</summary>
    public static Option<string?> Model() =>
        new("--model") { Description = $"Model package folder (default: the bundled {ModelLocator.DefaultRelative})." };

    /// <summary><c>--device auto|cpu|cuda</c>.</summary>
    public static Option<string> Device() =>
        new Option<string>("--device") { Description = "Where the graphs run.", DefaultValueFactory = _ => "auto" }.Choice("auto", "cpu", "cuda");

    /// <summary><c>--threads N</c>, N &gt;= 0 (0: ONNX Runtime's choice).</summary>
    public static Option<int> Threads() =>
        new Option<int>("--threads") { Description = "CPU threads per graph run (0: ONNX Runtime's choice).", DefaultValueFactory = _ => 0 }.NonNegative();

    /// <summary><c>--ort-cache DIR</c>: where ONNX Runtime keeps its optimised graphs.</summary>
    public static Option<string?> OrtCache() =>
        new("--ort-cache") { Description = "Keep ONNX Runtime's optimised graphs in this folder, so later runs open them faster." };

    /// <summary><c>--interpreter</c> naming one interpreter kind of the registry (absent: lmac-td when the package has it).</summary>
    public static Option<string?> Interpreter() =>
        new Option<string?>("--interpreter") { Description = "lmac-td or lmac-stft (default: lmac-td when the model has it)." }
            .Choice([.. InterpreterKind.All.Select(k => k.Name)]);
}

using System.CommandLine;
using System.Globalization;
using LmacTd.Cli.Bench;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.IO;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// <c>lmactd bench</c>: how fast a model package explains on this machine, with the settings <c>lmactd explain</c> would
/// use: real-time factor, each stage, <c>Explain</c> against its graph runs alone, the ONNX Runtime settings and the CPU.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Exit code of a finished benchmark.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when nothing could start (command line, input, model or device).</summary>
    public const int CannotStart = 2;

    /// <summary>Exit code when the run was interrupted.</summary>
    public const int Interrupted = 130;

    /// <summary>Examples shown under <c>lmactd bench --help</c>.</summary>
    public static readonly IReadOnlyList<(string Command, string What)> Examples =
    [
        ("lmactd bench", "the bundled model on a synthetic 5 s clip, 10 rounds: real-time factor, stages, settings, CPU"),
        ("lmactd bench --model models/build/full --rounds 5 --threads 2 --json bench.json", "another package, 2 threads, results also as JSON"),
        ("lmactd bench --device cuda", "the same on the GPU (a CUDA build of lmactd); fails, naming what is missing, where there is none"),
    ];

    /// <summary>Builds the command; <paramref name="interrupt"/> stops it between rounds.</summary>
    public static Command Create(CancellationToken interrupt = default)
    {
        var model = SharedOptions.Model();
        var input = new Option<string?>("--input") { Description = "An audio file to explain (default: a synthetic clip)." };
        var seconds = new Option<double?>("--seconds") { Description = "Length of the synthetic clip in seconds (default: one window of the model)." };
        var rounds = new Option<int>("--rounds", "-n") { Description = "Timed rounds.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed rounds first (at least 1).", DefaultValueFactory = _ => 1 };
        var device = SharedOptions.Device();
        var interpreter = SharedOptions.Interpreter();
        var threads = SharedOptions.Threads();
        var ortCache = SharedOptions.OrtCache();
        var noGraphRuns = new Option<bool>("--no-graph-runs") { Description = "Do not also time the graph runs alone (they need a second set of sessions: twice the memory)." };
        var json = new Option<string?>("--json") { Description = "Also write every round's figures, the settings and the CPU to this JSON file." };

        var command = new Command("bench", "Measure how fast the model explains on this machine, with the settings lmactd explain would use.");
        foreach (var o in new Option[] { model, input, seconds, rounds, warmup, device, interpreter, threads, ortCache, noGraphRuns, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var settings = new BenchSettings(
                parse.GetValue(model),
                parse.GetValue(input),
                parse.GetValue(seconds),
                parse.GetValue(rounds),
                parse.GetValue(warmup),
                Enum.Parse<ExecutionDevice>(parse.GetValue(device) ?? "auto", ignoreCase: true),
                parse.GetValue(interpreter) is { } i ? InterpreterKind.Parse(i) : null,
                parse.GetValue(threads),
                parse.GetValue(ortCache),
                !parse.GetValue(noGraphRuns),
                parse.GetValue(json));
            return Execute(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, interrupt);
        });
        return command;
    }

    /// <summary>Whether the runtime library was compiled without the JIT's optimisations (a Debug build).</summary>
    internal static bool IsDebugBuild =>
        typeof(Explainer).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);

    /// <summary>Runs the benchmark; returns the exit code.</summary>
    public static int Execute(BenchSettings settings, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (settings.Problem() is { } problem)
        {
            error.WriteLine($"error: {problem}");
            return CannotStart;
        }

        var modelDir = settings.Model ?? ModelLocator.FindDefault();
        if (modelDir is null)
        {
            error.WriteLine(ModelLocator.NotFoundMessage());
            return CannotStart;
        }

        ModelPackage package;
        AudioClip clip;
        Explainer explainer;
        try
        {
            package = ModelPackage.Load(modelDir);
            var m = package.Manifest;
            clip = settings.Input is { } file
                ? AudioDecoder.Load(file)
                : new AudioClip(SyntheticClip.Make(settings.Seconds ?? (double)m.ClipSamples / m.SampleRate, m.SampleRate), m.SampleRate, 1, "synthetic");
            explainer = new Explainer(package, new ExplainerOptions
            {
                Interpreter = settings.Interpreter,
                Inference = new InferenceOptions { Device = settings.Device, IntraOpThreads = settings.Threads, OptimizedModelCacheDirectory = settings.OrtCache },
            });
        }
        catch (Exception e) when (e is ModelPackageException or InferenceException or ArgumentException or AudioFormatException or IOException)
        {
            error.WriteLine(DeviceHint.Error(e));
            return CannotStart;
        }

        using (explainer)
        {
            output.WriteLine($"lmactd bench: model {package.Name} ({explainer.Interpreter.Name}) on {DeviceHint.Describe(explainer.Device)}");
            if (IsDebugBuild) output.WriteLine("warning: LmacTd.Runtime is a Debug build, whose times say little: build with -c Release");
            BenchResult result;
            try
            {
                result = BenchRun.Measure(explainer, package, clip, settings.Input ?? "synthetic", settings, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                error.WriteLine("interrupted before the first round");
                return Interrupted;
            }
            catch (Exception e) when (e is ArgumentException or InferenceException or ModelPackageException)
            {
                error.WriteLine($"error: {ExplainCommand.ErrorLine(settings.Input ?? package.Directory, e)}");
                return CannotStart;
            }

            if (result.Rounds == 0)
            {
                error.WriteLine("interrupted before the first round");
                return Interrupted;
            }

            BenchReport.WriteText(result, output);
            if (settings.Json is { } path)
            {
                var bytes = BenchReport.Json(result);
                AtomicFile.Write(path, s => s.Write(bytes));
                output.WriteLine($"wrote {path}");
            }

            if (cancellation.IsCancellationRequested)
            {
                error.WriteLine($"interrupted after {result.Rounds.ToString(CultureInfo.InvariantCulture)} round(s): the figures above are theirs");
                return Interrupted;
            }

            return Ok;
        }
    }
}

using System.CommandLine;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// <c>lmactd explain FILE|DIR...</c>: for each audio file writes <c>NAME.explanation.wav</c>, <c>NAME.masked-out.wav</c>
/// and <c>NAME.json</c>, prints one line per file, and exits non-zero if any file failed (the others still run).
/// </summary>
internal static class ExplainCommand
{
    /// <summary>Exit code when every file was explained.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when at least one file failed.</summary>
    public const int SomeFailed = 1;

    /// <summary>Exit code when nothing could start (command line, inputs, model or device).</summary>
    public const int CannotStart = 2;

    /// <summary>Exit code when the run was interrupted (Ctrl-C, SIGINT, SIGTERM): 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Two examples shown under <c>lmactd explain --help</c>.</summary>
    public static readonly IReadOnlyList<(string Command, string What)> Examples =
    [
        ("lmactd explain models/default/examples/speech_over_piano.wav",
            "writes speech_over_piano.{explanation.wav,masked-out.wav,json} next to the input"),
        ("lmactd explain recordings/ --recursive --out explained/ --interpreter lmac-stft --pcm16",
            "every audio file under recordings/, L-MAC, 16-bit outputs in explained/"),
    ];

    /// <summary>Builds the command; <paramref name="interrupt"/> is cancelled by Ctrl-C, SIGINT or SIGTERM.</summary>
    public static Command Create(CancellationToken interrupt = default)
    {
        var files = new Argument<string[]>("FILE|DIR") { Description = "Audio files, or folders of them (WAV, MP3, Ogg Vorbis).", Arity = ArgumentArity.OneOrMore };
        var model = SharedOptions.Model();
        var outDir = new Option<string?>("--out") { Description = "Output folder (default: next to each input)." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Also take the audio files in the subfolders of a folder argument." };
        var device = SharedOptions.Device();
        var interpreter = SharedOptions.Interpreter();
        var threads = SharedOptions.Threads();
        var ortCache = SharedOptions.OrtCache();
        var pcm16 = new Option<bool>("--pcm16") { Description = "Write 16-bit PCM WAV instead of 32-bit float." };
        var plot = new Option<bool>("--plot") { Description = "Also write NAME.png: spectrograms of input, explanation and masked-out, and the relevance curve." };
        var html = new Option<bool>("--html") { Description = "Also write NAME.html: one self-contained page with players, the picture and the relevance curve." };
        var shard = ShardOption.Create();

        var command = new Command("explain", "Explain the classifier's decision on each file: listenable explanation, masked-out signal and a JSON report.");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { model, outDir, recursive, device, interpreter, threads, pcm16, ortCache, plot, html, shard }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var unknown = OptionRules.UnknownOptions(parse, files);
            if (unknown.Count > 0)
            {
                foreach (var u in unknown) error.WriteLine($"error: {u}");
                error.WriteLine("see 'lmactd explain --help'");
                return CannotStart;
            }

            var (shardValue, shardError) = ShardOption.Resolve(parse.GetValue(shard), Environment.GetEnvironmentVariable);
            if (shardError is not null)
            {
                error.WriteLine($"error: {shardError}");
                return CannotStart;
            }

            var settings = new ExplainSettings(
                parse.GetValue(files) ?? [],
                parse.GetValue(model),
                parse.GetValue(outDir),
                Enum.Parse<ExecutionDevice>(parse.GetValue(device) ?? "auto", ignoreCase: true),
                parse.GetValue(interpreter) is { } i ? InterpreterKind.Parse(i) : null,
                parse.GetValue(threads),
                parse.GetValue(ortCache),
                parse.GetValue(pcm16) ? WavSampleFormat.Pcm16 : WavSampleFormat.Float32,
                parse.GetValue(recursive),
                shardValue,
                parse.GetValue(plot),
                parse.GetValue(html));
            return Execute(settings, parse.InvocationConfiguration.Output, error, interrupt);
        });
        return command;
    }

    /// <summary>
    /// Runs the command; returns the exit code. <paramref name="cancellation"/> stops the run between inputs (exit code
    /// <see cref="Interrupted"/>): each input's outputs are then either all present or all absent.
    /// </summary>
    public static int Execute(ExplainSettings settings, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        // Everything the command line alone can refuse is refused before the model is opened.
        IReadOnlyList<OutputNames> plan;
        try
        {
            var inputs = InputFiles.Expand(settings.Files, settings.Recursive);
            if (settings.Shard is { } shard) inputs = inputs.Where((_, i) => shard.Takes(i)).ToList();
            plan = OutputNames.Plan(inputs, settings.OutDir);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return CannotStart;
        }

        var modelDir = settings.Model ?? ModelLocator.FindDefault();
        if (modelDir is null)
        {
            error.WriteLine(ModelLocator.NotFoundMessage());
            return CannotStart;
        }

        ModelPackage package;
        Explainer explainer;
        try
        {
            package = ModelPackage.Load(modelDir);
            var options = new ExplainerOptions
            {
                Interpreter = settings.Interpreter,
                Inference = new InferenceOptions { Device = settings.Device, IntraOpThreads = settings.Threads, OptimizedModelCacheDirectory = settings.OrtCache },
            };
            explainer = new Explainer(package, options);
        }
        catch (Exception e) when (e is ModelPackageException or InferenceException or ArgumentException)
        {
            error.WriteLine(DeviceHint.Error(e));
            return CannotStart;
        }

        using (explainer)
        {
            output.WriteLine($"model {package.Name} ({explainer.Interpreter.Name}) on {DeviceHint.Describe(explainer.Device)}" +
                             (settings.Shard is { } s ? $", shard {s}: {plan.Count} file(s)" : ""));
            int failed = 0;
            foreach (var names in plan)
            {
                if (cancellation.IsCancellationRequested) break;
                try
                {
                    output.WriteLine(ExplainFile.Run(explainer, package, names, settings, cancellation, error.WriteLine));
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is AudioFormatException or ArgumentException or IOException or UnauthorizedAccessException or InferenceException)
                {
                    failed++;
                    error.WriteLine($"error: {ErrorLine(names.Input, e)}");
                }
            }

            if (cancellation.IsCancellationRequested)
            {
                error.WriteLine("interrupted: the files explained so far have all their outputs; the others have none");
                return Interrupted;
            }

            return failed == 0 ? Ok : SomeFailed;
        }
    }

    /// <summary>One line for a file that failed, naming it once: the decoder's and the explainer's messages often name it already.</summary>
    internal static string ErrorLine(string file, Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        return message.Contains(Path.GetFileName(file), StringComparison.Ordinal) ? message : $"{file}: {message}";
    }
}

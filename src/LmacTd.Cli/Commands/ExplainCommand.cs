using System.CommandLine;
using System.Diagnostics;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.IO;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// <c>lmactd explain FILE...</c>: for each file writes <c>NAME.explanation.wav</c>, <c>NAME.masked-out.wav</c> and
/// <c>NAME.json</c>, prints one line per file, and exits non-zero if any file failed (the others still run).
/// </summary>
public static class ExplainCommand
{
    /// <summary>Exit code when every file was explained.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when at least one file failed.</summary>
    public const int SomeFailed = 1;

    /// <summary>Exit code when nothing could start (model or device).</summary>
    public const int CannotStart = 2;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Audio files (WAV, MP3, Ogg Vorbis).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model") { Description = $"Model package folder (default: the bundled {ModelLocator.DefaultRelative})." };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default: next to each input)." };
        var device = new Option<string>("--device") { Description = "Where the graphs run.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var interpreter = new Option<string?>("--interpreter") { Description = "lmac-td or lmac-stft (default: lmac-td when the model has it)." };
        interpreter.AcceptOnlyFromAmong([.. InterpreterKind.All.Select(k => k.Name)]);
        var threads = new Option<int>("--threads") { Description = "CPU threads per graph run (0: ONNX Runtime's choice).", DefaultValueFactory = _ => 0 };
        var ortCache = new Option<string?>("--ort-cache") { Description = "Keep ONNX Runtime's optimised graphs in this folder, so later runs open them faster." };
        var pcm16 = new Option<bool>("--pcm16") { Description = "Write 16-bit PCM WAV instead of 32-bit float." };
        var plot = new Option<bool>("--plot") { Description = "Also write NAME.png: spectrograms of input, explanation and masked-out, and the relevance curve." };
        var html = new Option<bool>("--html") { Description = "Also write NAME.html: one self-contained page with players, the picture and the relevance curve." };

        var command = new Command("explain", "Explain the classifier's decision on each file: listenable explanation, masked-out signal and a JSON report.");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { model, outDir, device, interpreter, threads, pcm16, ortCache, plot, html }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var settings = new ExplainSettings(
                parse.GetValue(files) ?? [],
                parse.GetValue(model),
                parse.GetValue(outDir),
                Enum.Parse<ExecutionDevice>(parse.GetValue(device) ?? "auto", ignoreCase: true),
                parse.GetValue(interpreter) is { } i ? InterpreterKind.Parse(i) : null,
                parse.GetValue(threads),
                parse.GetValue(ortCache),
                parse.GetValue(pcm16) ? WavSampleFormat.Pcm16 : WavSampleFormat.Float32,
                parse.GetValue(plot),
                parse.GetValue(html));
            return Execute(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Execute(ExplainSettings settings, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
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
        catch (Exception e) when (e is ModelPackageException or InferenceDeviceException or ArgumentException)
        {
            error.WriteLine(DeviceHint.Error(e));
            return CannotStart;
        }

        using (explainer)
        {
            output.WriteLine($"model {package.Name} ({explainer.Interpreter.Name}) on {DeviceHint.Describe(explainer.Device)}");
            int failed = 0;
            foreach (var file in settings.Files)
            {
                try
                {
                    output.WriteLine(ExplainOne(explainer, package, file, settings));
                }
                catch (Exception e) when (e is AudioFormatException or ArgumentException or IOException or UnauthorizedAccessException or InferenceException)
                {
                    failed++;
                    var message = e is AudioFormatException ? e.Message : $"{file}: {e.Message}";
                    error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
                }
            }

            return failed == 0 ? Ok : SomeFailed;
        }
    }

    private static string ExplainOne(Explainer explainer, ModelPackage package, string file, ExplainSettings settings)
    {
        var total = Stopwatch.StartNew();
        var clip = AudioDecoder.Load(file);
        var decode = total.Elapsed;
        var e = explainer.Explain(clip);

        var dir = settings.OutDir ?? Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        Directory.CreateDirectory(dir);
        var name = Path.GetFileNameWithoutExtension(file);
        var explPath = Path.Combine(dir, name + ".explanation.wav");
        var outPath = Path.Combine(dir, name + ".masked-out.wav");
        var jsonPath = Path.Combine(dir, name + ".json");

        var write = Stopwatch.StartNew();
        var written = new List<string>();
        try
        {
            WavWriter.Write(explPath, e.ExplanationWaveform, e.SampleRate, settings.Format);
            written.Add(explPath);
            WavWriter.Write(outPath, e.MaskedOutWaveform, e.SampleRate, settings.Format);
            written.Add(outPath);
            written.AddRange(Reports.ExplainVisuals.Write(e, package, clip.Samples, dir, name, settings.Plot, settings.Html));
            var timings = new Dictionary<string, double> { ["decode"] = decode.TotalMilliseconds };
            foreach (var (k, v) in e.Timings.ToMilliseconds()) timings[k == "total" ? "explain" : k] = v;
            timings["write"] = write.Elapsed.TotalMilliseconds;
            timings["total"] = total.Elapsed.TotalMilliseconds;
            var report = ExplainReport.Encode(e, package, file, explPath, outPath, clip.SourceChannels, timings);
            AtomicFile.Write(jsonPath, s => s.Write(report));
        }
        catch
        {
            // Either all three outputs of a file appear, or none.
            foreach (var p in written) AtomicFile.TryDelete(p);
            throw;
        }

        return $"{file}: {e.Label} ({e.Probability:P1}), {e.DurationSeconds:0.00} s at {e.SampleRate} Hz, " +
               $"{e.Windows.Count} window(s), {total.Elapsed.TotalMilliseconds:0} ms -> {Path.Combine(dir, name)}.{{explanation.wav,masked-out.wav,json}}";
    }
}

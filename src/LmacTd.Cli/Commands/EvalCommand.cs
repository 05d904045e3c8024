using System.CommandLine;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.IO;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Commands;

/// <summary>
/// <c>lmactd eval INPUT</c>: explains every clip of a folder or CSV with one or both interpreters and reports the
/// paper's faithfulness figures per clip and over the set, optionally on the paper's contaminated inputs.
/// A clip that cannot be read is reported with its reason and does not stop the run.
/// </summary>
internal static class EvalCommand
{
    /// <summary>Two examples shown under <c>lmactd eval --help</c>.</summary>
    public static readonly IReadOnlyList<(string Command, string What)> Examples =
    [
        ("lmactd eval models/default/examples --interpreter both --json e.json --markdown e.md",
            "the paper's table for both interpreters over the bundled examples"),
        ("lmactd eval clips.csv --contaminate mixture --seed 1 --shard 0/4 --json parts/part-0.json",
            "a quarter of a labelled set, mixed with other clips; 'lmactd eval merge parts/*.json' joins the parts"),
    ];

    /// <summary>Builds the command; <paramref name="interrupt"/> is cancelled by Ctrl-C, SIGINT or SIGTERM.</summary>
    public static Command Create(CancellationToken interrupt = default)
    {
        var input = new Argument<string>("INPUT") { Description = "A folder of audio (searched recursively) or a CSV of path,label." };
        var labels = new Option<string?>("--labels") { Description = "CSV of path,label giving the true labels (accuracy)." };
        var model = SharedOptions.Model();
        var interpreter = new Option<string>("--interpreter") { Description = "lmac-td, lmac-stft or both.", DefaultValueFactory = _ => "lmac-td" }
            .Choice([.. InterpreterKind.All.Select(k => k.Name), "both"]);
        var contaminate = new Option<string>("--contaminate") { Description = "Mix into each clip: none, mixture (another clip), noise (white) or speech.", DefaultValueFactory = _ => "none" }
            .Choice("none", "mixture", "noise", "speech");
        var speech = new Option<string?>("--speech") { Description = "Speech file or folder for --contaminate speech (default: the set's clips labelled speech)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the contamination draws.", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "Write the per-clip and aggregate figures to this JSON file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the paper's table to this Markdown file." };
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var ortCache = SharedOptions.OrtCache();
        var plots = new Option<string?>("--plots") { Description = "Write metrics.png (bar chart per interpreter) and, with labels, confusion-INTERPRETER.png into this folder." };
        var metrics = new Option<string>("--metrics") { Description = "paper: the written formulas; speechbrain: as the SpeechBrain recipe's code computes them (AD's extra softmax, L-MAC's masked log-magnitude map and 425-frame evidence).", DefaultValueFactory = _ => "paper" }
            .Choice("paper", "speechbrain");
        var shard = ShardOption.Create();

        var command = new Command("eval", "Faithfulness figures (AI, AD, AG, FF, Fid-In, SPS, COMP) of the explanations of a set of clips.");
        command.Arguments.Add(input);
        foreach (var o in new Option[] { labels, model, interpreter, contaminate, speech, seed, json, markdown, device, threads, ortCache, plots, metrics, shard }) command.Options.Add(o);
        command.Subcommands.Add(EvalMergeCommand.Create());
        command.SetAction(parse =>
        {
            var (shardValue, shardError) = ShardOption.Resolve(parse.GetValue(shard), Environment.GetEnvironmentVariable);
            var refusals = OptionRules.UnknownOptions(parse, input).Concat(shardError is null ? [] : [shardError]).ToList();
            if (refusals.Count > 0)
            {
                foreach (var r in refusals) parse.InvocationConfiguration.Error.WriteLine($"error: {r}");
                return ExplainCommand.CannotStart;
            }

            var which = parse.GetValue(interpreter) ?? "lmac-td";
            var settings = new EvalSettings(
                parse.GetValue(input) ?? ".",
                parse.GetValue(labels),
                parse.GetValue(model),
                which == "both" ? null : [InterpreterKind.Parse(which)],
                Enum.Parse<ContaminationKind>(parse.GetValue(contaminate) ?? "none", ignoreCase: true),
                parse.GetValue(speech),
                parse.GetValue(seed),
                parse.GetValue(json),
                parse.GetValue(markdown),
                Enum.Parse<ExecutionDevice>(parse.GetValue(device) ?? "auto", ignoreCase: true),
                parse.GetValue(threads),
                parse.GetValue(ortCache),
                parse.GetValue(plots),
                Enum.Parse<MetricConvention>(parse.GetValue(metrics) ?? "paper", ignoreCase: true),
                shardValue);
            return Execute(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, !Console.IsOutputRedirected, interrupt);
        });
        return command;
    }

    /// <summary>
    /// Runs the evaluation; returns 0 when every clip succeeded, 1 when some failed, 2 when nothing could start, 130 when
    /// <paramref name="cancellation"/> stopped it (between clips; no report is written then).
    /// </summary>
    public static int Execute(EvalSettings settings, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        IReadOnlyList<EvalItem> items;
        IReadOnlyList<EvalItem> speechPool = [];
        try
        {
            items = EvalInputs.Resolve(settings.Input, settings.Labels);
            if (items.Count == 0) throw new FileNotFoundException($"{settings.Input}: no clips listed");
            if (settings.Contaminate == ContaminationKind.Speech)
            {
                speechPool = settings.Speech is not null
                    ? EvalInputs.Resolve(settings.Speech, null)
                    : items.Where(i => i.Label?.Contains("speech", StringComparison.OrdinalIgnoreCase) == true).ToList();
                if (speechPool.Count == 0)
                    throw new FileNotFoundException("--contaminate speech needs speech clips: give --speech FILE|DIR, or label some clips 'speech'");
            }
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExplainCommand.CannotStart;
        }

        var modelDir = settings.Model ?? ModelLocator.FindDefault();
        if (modelDir is null)
        {
            error.WriteLine(ModelLocator.NotFoundMessage());
            return ExplainCommand.CannotStart;
        }

        var explainers = new List<Explainer>();
        try
        {
            var package = ModelPackage.Load(modelDir);
            // "both": every kind the package holds, the baseline first as in the paper's table (the registry lists the preferred first).
            var kinds = settings.Interpreters ?? [.. package.Manifest.InterpreterKinds.Reverse()];
            foreach (var kind in kinds)
            {
                explainers.Add(new Explainer(package, new ExplainerOptions
                {
                    Interpreter = kind,
                    Inference = new InferenceOptions { Device = settings.Device, IntraOpThreads = settings.Threads, OptimizedModelCacheDirectory = settings.OrtCache },
                    MetricConvention = settings.Metrics,
                }));
            }

            if (settings.Metrics == MetricConvention.SpeechBrain && kinds.Contains(InterpreterKind.LmacStft) && !package.Manifest.ClassifierTakesAnyFrames)
            {
                int frames = package.Manifest.FrontEnd.Frames, maskFrames = package.Manifest.Interpreter<LmacStftSpec>()!.MaskFrames;
                error.WriteLine($"warning: {package.Name}'s classifier takes a fixed {frames} frames, so L-MAC's q and r are those at {frames} "
                    + $"(the written formulas'), not the recipe's at the mask's {maskFrames}; a package exported with a symbolic frame axis gives the recipe's");
            }

            var header = new EvalHeader(package.Name, package.Directory, ManifestSha256(package), settings.Input,
                EvalInputs.Digest(settings.Input, items, speechPool), items.Count, settings.Contaminate.ToString().ToLowerInvariant(), settings.Seed, settings.Shard)
            {
                Metrics = settings.Metrics.ToString().ToLowerInvariant(),
            };
            var mine = Enumerable.Range(0, items.Count).Where(i => settings.Shard?.Takes(i) ?? true).ToList();
            output.WriteLine($"model {package.Name} on {DeviceHint.Describe(explainers[0].Device)}; {mine.Count} clips{(settings.Shard is { } sh ? $" (shard {sh} of {items.Count})" : "")}; interpreters: " +
                             $"{string.Join(", ", kinds.Select(k => k.Name))}; contamination: {header.Contaminate}");
            var results = kinds.Select(_ => new List<EvalClipResult>()).ToArray();
            var progress = new ProgressReporter(output, mine.Count, interactive);
            foreach (var i in mine)
            {
                if (cancellation.IsCancellationRequested)
                {
                    error.WriteLine("interrupted: no report written");
                    return ExplainCommand.Interrupted;
                }

                var item = items[i];
                string summary;
                try
                {
                    var clip = EvalContamination.Load(items, i, speechPool, settings);
                    var parts = new List<string>();
                    for (int k = 0; k < explainers.Count; k++)
                    {
                        var r = Evaluate(explainers[k], package, i, item, clip, settings.Metrics);
                        results[k].Add(r);
                        parts.Add($"{kinds[k].Name} q_c {r.Metrics!.QC:0.000} FF {r.Metrics.FF:0.000}");
                    }

                    summary = $"{item.Path}: {results[0][^1].Predicted}, {string.Join("; ", parts)}";
                }
                catch (Exception e) when (e is AudioFormatException or ArgumentException or IOException or UnauthorizedAccessException)
                {
                    var reason = ExplainCommand.ErrorLine(item.Path, e);
                    foreach (var list in results) list.Add(new EvalClipResult(i, item.Path, item.Label, null, null, null, reason));
                    error.WriteLine($"error: {reason}");
                    summary = $"{item.Path}: failed";
                }

                progress.Step(summary);
            }

            var runs = kinds.Select((k, idx) => new EvalReport.Run(k, EvalReport.MethodName(package, k), results[idx])).ToList();
            var table = Write(header, runs, settings.Json, settings.Markdown);
            if (settings.Plots is not null) Reports.EvalPictures.Write(settings.Plots, package, runs);
            output.Write(table);
            int failed = results[0].Count(r => r.Error is not null);
            if (failed > 0) error.WriteLine($"error: {failed} of {mine.Count} clips failed (see the reasons above{(settings.Json is null ? "" : " and in " + settings.Json)})");
            return failed == 0 ? ExplainCommand.Ok : ExplainCommand.SomeFailed;
        }
        catch (Exception e) when (e is ModelPackageException or InferenceException or ArgumentException)
        {
            error.WriteLine(DeviceHint.Error(e));
            return ExplainCommand.CannotStart;
        }
        finally
        {
            foreach (var x in explainers) x.Dispose();
        }
    }

    private static EvalClipResult Evaluate(Explainer explainer, ModelPackage package, int index, EvalItem item, AudioClip clip, MetricConvention convention)
    {
        var e = explainer.Explain(clip);
        var m = e.Metrics ?? throw new ArgumentException("the explainer gave no faithfulness evidence");
        // A wiring check: figures labelled with one convention must not have been computed under the other.
        if (e.Windows.Any(w => w.Evidence!.Convention != convention))
            throw new InvalidOperationException($"the explainer computed its evidence under another metric convention than {convention}");
        return new EvalClipResult(index, item.Path, item.Label, e.Label, package.Labels[m.QArgmax], m, null);
    }

    /// <summary>Writes the JSON and the Markdown where asked (each atomically); returns the Markdown.</summary>
    internal static string Write(EvalHeader header, IReadOnlyList<EvalReport.Run> runs, string? json, string? markdown)
    {
        if (json is not null)
        {
            var bytes = EvalReport.EncodeJson(header, runs);
            EnsureFolder(json);
            AtomicFile.Write(json, s => s.Write(bytes));
        }

        var table = EvalReport.Markdown(header, runs);
        if (markdown is not null)
        {
            EnsureFolder(markdown);
            AtomicFile.Write(markdown, s => s.Write(System.Text.Encoding.UTF8.GetBytes(table)));
        }

        return table;
    }

    // The manifest lists every file's sha256, so its own digest names the whole package.
    private static string ManifestSha256(ModelPackage package) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(package.PathOf("manifest.json"))));

    private static void EnsureFolder(string file)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file));
        if (dir is not null) Directory.CreateDirectory(dir);
    }
}

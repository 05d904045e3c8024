using System.CommandLine;

namespace LmacTd.Cli.Commands;

/// <summary>
/// <c>lmactd eval merge PART.json... --json OUT --markdown OUT</c>: joins the parts of a sharded <c>lmactd eval</c>
/// into exactly what the unsharded run writes, after checking that they belong together: one model (sha256), one
/// input list (digest and count), one contamination and seed, one set of interpreters, and every shard of
/// <c>0..COUNT-1</c> present once.
/// </summary>
internal static class EvalMergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var parts = new Argument<string[]>("PART.json") { Description = "The parts' JSON reports ('lmactd eval --shard I/N --json PART.json').", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string?>("--json") { Description = "Write the merged JSON report here." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the merged paper's table here." };
        var command = new Command("merge", "Join the JSON reports of 'lmactd eval --shard' runs into the report of the whole set.");
        command.Arguments.Add(parts);
        command.Options.Add(json);
        command.Options.Add(markdown);
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var unknown = OptionRules.UnknownOptions(parse, parts);
            foreach (var u in unknown) error.WriteLine($"error: {u}");
            if (unknown.Count > 0) return ExplainCommand.CannotStart;
            return Execute(parse.GetValue(parts) ?? [], parse.GetValue(json), parse.GetValue(markdown), parse.InvocationConfiguration.Output, error);
        });
        return command;
    }

    /// <summary>Merges; returns 0 when every clip of every part succeeded, 1 when some clip failed, 2 when the parts do not fit.</summary>
    public static int Execute(IReadOnlyList<string> files, string? json, string? markdown, TextWriter output, TextWriter error)
    {
        EvalHeader header;
        List<EvalReport.Run> runs;
        try
        {
            var reports = files.Select(EvalReportReader.Read).ToList();
            header = Check(reports);
            runs = reports[0].Runs.Select((run, k) => run with
            {
                Clips = reports.SelectMany(r => r.Runs[k].Clips).OrderBy(c => c.Index).ToList(),
            }).ToList();
            var indices = runs[0].Clips.Select(c => c.Index).ToList();
            if (!indices.SequenceEqual(Enumerable.Range(0, header.InputCount)))
                throw new FormatException($"the parts hold clips {Ranges(indices)}, not each of 0..{header.InputCount - 1} once");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExplainCommand.CannotStart;
        }

        output.Write(EvalCommand.Write(header, runs, json, markdown));
        int failed = runs[0].Clips.Count(c => c.Error is not null);
        if (failed > 0) error.WriteLine($"error: {failed} of {header.InputCount} clips failed (see the parts' reasons{(json is null ? "" : " in " + json)})");
        return failed == 0 ? ExplainCommand.Ok : ExplainCommand.SomeFailed;
    }

    // The merged header: the first part's, less its shard, once every part agrees with it.
    private static EvalHeader Check(IReadOnlyList<EvalReportReader.Report> reports)
    {
        var first = reports[0];
        foreach (var r in reports)
        {
            if (r.Header.Shard is null)
                throw new FormatException($"{r.File}: not a part (it was written without --shard)");
            void Same<T>(string what, Func<EvalHeader, T> field)
            {
                if (!EqualityComparer<T>.Default.Equals(field(r.Header), field(first.Header)))
                    throw new FormatException($"{r.File} and {first.File} differ in {what} ({field(r.Header)} vs {field(first.Header)}): they are not parts of one run");
            }

            Same("model sha256", h => h.ModelSha256);
            Same("model name", h => h.Model);
            Same("input", h => h.Input);
            Same("input list digest", h => h.InputDigest);
            Same("input count", h => h.InputCount);
            Same("contamination", h => h.Contaminate);
            Same("seed", h => h.Seed);
            Same("metric convention", h => h.Metrics);
            Same("shard count", h => h.Shard!.Count);
            var mine = string.Join(",", r.Runs.Select(x => x.Interpreter));
            var theirs = string.Join(",", first.Runs.Select(x => x.Interpreter));
            if (mine != theirs) throw new FormatException($"{r.File} and {first.File} differ in interpreters ({mine} vs {theirs})");
            var stray = r.Runs.SelectMany(x => x.Clips).FirstOrDefault(c => !r.Header.Shard!.Takes(c.Index));
            if (stray is not null) throw new FormatException($"{r.File}: clip {stray.Index} does not belong to shard {r.Header.Shard}");
        }

        int count = first.Header.Shard!.Count;
        var byIndex = reports.GroupBy(r => r.Header.Shard!.Index).ToDictionary(g => g.Key, g => g.Select(r => r.File).ToList());
        var repeated = byIndex.Where(kv => kv.Value.Count > 1).Select(kv => $"shard {kv.Key}/{count} in {string.Join(" and ", kv.Value)}").ToList();
        if (repeated.Count > 0) throw new FormatException($"repeated: {string.Join("; ", repeated)}");
        var missing = Enumerable.Range(0, count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0) throw new FormatException($"missing: shard(s) {string.Join(", ", missing.Select(i => $"{i}/{count}"))}");
        return first.Header with { Shard = null };
    }

    private static string Ranges(IReadOnlyList<int> indices) =>
        indices.Count <= 12 ? string.Join(",", indices) : $"{string.Join(",", indices.Take(12))},... ({indices.Count} in all)";
}

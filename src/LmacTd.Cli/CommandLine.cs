using System.CommandLine;
using System.CommandLine.Help;
using LmacTd.Cli.Commands;

namespace LmacTd.Cli;

/// <summary>The <c>lmactd</c> command line: one subcommand per file under <c>Commands/</c>.</summary>
internal static class CommandLine
{
    /// <summary>Exit code of a command line that cannot be run as written (unknown option, bad value).</summary>
    public const int UsageError = 2;

    /// <summary>Every subcommand. A new command is a file in <c>Commands/</c> and one line here.</summary>
    private static IEnumerable<Command> Commands(CancellationToken interrupt) =>
    [
        ExplainCommand.Create(interrupt),
        EvalCommand.Create(interrupt),
        BenchCommand.Create(interrupt),
    ];

    /// <summary>Builds the root command; <paramref name="interrupt"/> is what stops a running command early.</summary>
    public static RootCommand Build(CancellationToken interrupt = default)
    {
        var root = new RootCommand("lmactd: listenable explanations (LMAC-TD, L-MAC) of an audio classifier's decisions, from ONNX model packages.");
        foreach (var c in Commands(interrupt)) root.Subcommands.Add(c);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction action) help.Action = new HelpWithExamples(action);
        }

        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command, writing to the given writers; returns the exit code.
    /// Ctrl-C, SIGINT and SIGTERM stop the command at its next safe point (exit code 130) while this runs.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        using var interruption = new Interruption();
        return Run(args, output, error, interruption.Token);
    }

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>, stopped by <paramref name="interrupt"/> instead of signals.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parse = Build(interrupt).Parse(args);
        // A command line with an error never starts any work, and says so with exit code 2, as `explain`'s other
        // refusals before any work do (System.CommandLine's own code for parse errors is 1, which means "some file failed").
        if (parse.Errors.Count > 0 && parse.Action is not HelpWithExamples)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            var command = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1).Select(c => c.Name)
                .Append(parse.CommandResult.Command.Name)).Trim();
            error.WriteLine($"see 'lmactd {(parse.CommandResult.Command is RootCommand ? "" : command + " ")}--help'");
            return UsageError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
    }
}

using System.CommandLine;
using LmacTd.Cli.Commands;

namespace LmacTd.Cli;

/// <summary>The <c>lmactd</c> command line: one subcommand per file under <c>Commands/</c>.</summary>
public static class CommandLine
{
    /// <summary>Every subcommand. A new command is a file in <c>Commands/</c> and one line here.</summary>
    private static IEnumerable<Command> Commands() =>
    [
        ExplainCommand.Create(),
        EvalCommand.Create(),
    ];

    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("lmactd: listenable explanations (LMAC-TD, L-MAC) of an audio classifier's decisions, from ONNX model packages.");
        foreach (var c in Commands()) root.Subcommands.Add(c);
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
}

using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using LmacTd.Cli.Commands;

namespace LmacTd.Cli;

/// <summary>System.CommandLine's help, followed by a command's examples (System.CommandLine has no section for them).</summary>
internal sealed class HelpWithExamples(HelpAction inner) : SynchronousCommandLineAction
{
    private static readonly Dictionary<string, IReadOnlyList<(string Command, string What)>> ByCommand = new(StringComparer.Ordinal)
    {
        ["explain"] = ExplainCommand.Examples,
        ["eval"] = EvalCommand.Examples,
        ["bench"] = BenchCommand.Examples,
    };

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        int code = inner.Invoke(parseResult);
        if (ByCommand.TryGetValue(parseResult.CommandResult.Command.Name, out var examples))
        {
            var w = parseResult.InvocationConfiguration.Output;
            w.WriteLine("Examples:");
            foreach (var (command, what) in examples)
            {
                w.WriteLine($"  {command}");
                w.WriteLine($"      {what}");
            }

            w.WriteLine();
        }

        return code;
    }
}

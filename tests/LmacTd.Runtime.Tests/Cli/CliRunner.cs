using LmacTd.Cli;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>Runs <c>lmactd</c> in-process, capturing what it writes.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

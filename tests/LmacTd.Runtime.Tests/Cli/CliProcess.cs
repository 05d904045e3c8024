using System.Diagnostics;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>The built <c>lmactd</c> (copied beside the tests) and a way to run commands as separate processes.</summary>
internal static class CliProcess
{
    /// <summary>The .NET host that runs the tests, to run <see cref="Dll"/> with.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>The CLI's assembly.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "lmactd.dll");

    /// <summary>A folder holding an executable <c>lmactd</c> script that runs the built CLI, for a PATH.</summary>
    public static string WrapperFolder(TempDir dir)
    {
        var bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        var script = Path.Combine(bin, "lmactd");
        File.WriteAllText(script, $"#!/bin/sh\nexec '{Dotnet}' '{Dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    /// <summary>Runs <paramref name="program"/> to its end with <paramref name="environment"/> added; returns its exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{program} did not finish");
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}

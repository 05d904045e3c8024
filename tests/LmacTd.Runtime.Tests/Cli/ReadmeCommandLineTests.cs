using System.Text.RegularExpressions;
using LmacTd.Cli;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>The README's <c>lmactd explain</c> and <c>lmactd bench</c> synopses name exactly the commands' options, with their choices.</summary>
public partial class ReadmeCommandLineTests
{
    [GeneratedRegex(@"\[(--[a-z0-9-]+)(?: ([^\]]+))?\]")]
    private static partial Regex OptionInSynopsis();

    [Fact]
    public void The_explain_synopsis_matches_the_command() => SynopsisMatches("explain", "lmactd explain FILE");

    [Fact]
    public void The_bench_synopsis_matches_the_command() => SynopsisMatches("bench", "lmactd bench [");

    private static void SynopsisMatches(string name, string opening)
    {
        var readme = File.ReadAllText(Path.Combine(TestData.RepoRoot, "README.md"));
        int start = readme.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no synopsis starting '{opening}'");
        var synopsis = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var documented = OptionInSynopsis().Matches(synopsis).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        var command = CommandLine.Build().Subcommands.Single(c => c.Name == name);
        var actual = command.Options.Where(o => !o.Name.StartsWith("--help", StringComparison.Ordinal) && o.Name != "-h" && o.Name != "-?" && o.Name.StartsWith("--", StringComparison.Ordinal)).ToList();
        Assert.Equal(actual.Select(o => o.Name).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        // The interpreter choices come from the registry, where the tests' own doubles (test-*) may have been added.
        foreach (var o in actual.Where(o => o.HelpName?.Contains('|', StringComparison.Ordinal) == true))
            Assert.Equal(string.Join('|', o.HelpName!.Split('|').Where(c => !c.StartsWith("test-", StringComparison.Ordinal))), documented[o.Name]);
    }
}

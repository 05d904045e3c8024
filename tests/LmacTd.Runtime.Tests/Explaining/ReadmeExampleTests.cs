using System.Globalization;
using System.Text.RegularExpressions;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace LmacTd.Runtime.Tests.Explaining;

public partial class ReadmeExampleTests
{
    // The README's embedding example, taken from README.md and run as a C# script (its paths pointed at the tiny
    // package and a temporary folder, its console at a writer); what it prints and writes is then checked against
    // an explanation of the same file made here, and the figures against softmaxes written out here.
    [Fact]
    public async Task The_readme_embedding_example_runs_as_written_and_prints_what_it_says()
    {
        using var dir = new TempDir();
        var input = TestData.Sine(32000, 32000, 440).Zip(TestData.Noise(32000, 9, 0.1), (a, b) => a + b).ToArray();
        WavWriter.Write(dir.File("street.wav"), input, 32000);
        var code = ReadmeCSharpBlock("## Embedding the library")
            .Replace("\"models/default\"", $"\"{TestData.TinyPackage}\"", StringComparison.Ordinal)
            .Replace("\"street.", $"\"{dir.Path}/street.", StringComparison.Ordinal)
            .Replace("Console.WriteLine(", "Out.WriteLine(", StringComparison.Ordinal);
        // A script's top level takes no `using var`: the statements run in a method, the using directives stay on top.
        var readmeLines = code.Split('\n');
        bool IsDirective(string l) => l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("using var ", StringComparison.Ordinal);
        var script = string.Join('\n', readmeLines.Where(IsDirective)) + "\nvoid Example()\n{\n" + string.Join('\n', readmeLines.Where(l => !IsDirective(l))) + "\n}\nExample();\n";
        var globals = new ScriptGlobals();

        await CSharpScript.RunAsync(script, ScriptOptions.Default.AddReferences(typeof(Explainer).Assembly).AddImports("System"), globals);

        var package = ModelPackage.Load(TestData.TinyPackage);
        using var explainer = new Explainer(package, TestData.Options(InterpreterKind.LmacTd));
        var e = explainer.Explain(AudioDecoder.Load(dir.File("street.wav")));
        var window = Assert.Single(e.Windows);
        var p = NaiveSoftmax(window.Logits);
        int c = Array.IndexOf(p, p.Max());
        var q = NaiveSoftmax(window.Evidence!.LogitsExplanation);
        var r = NaiveSoftmax(window.Evidence.LogitsMaskedOut);

        var lines = globals.Out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var first = FirstLine().Match(lines[0]);
        Assert.True(first.Success, lines[0]);
        Assert.Equal(package.Labels[c], first.Groups["label"].Value);
        Assert.Equal(Math.Round(100 * p[c]), double.Parse(first.Groups["percent"].Value, CultureInfo.CurrentCulture));
        Assert.StartsWith("cpu", first.Groups["device"].Value, StringComparison.Ordinal);
        var second = SecondLine().Match(lines[1]);
        Assert.True(second.Success, lines[1]);
        Assert.Equal(Math.Round(p[c], 2), Number(second, "pc"));
        Assert.Equal(Math.Round(q[c], 2), Number(second, "qc"));
        Assert.Equal(Math.Round(r[c], 2), Number(second, "rc"));
        Assert.Equal(Array.IndexOf(q, q.Max()) == c ? 1 : 0, Number(second, "fid"));

        var explanation = AudioDecoder.Load(dir.File("street.explanation.wav"));
        var maskedOut = AudioDecoder.Load(dir.File("street.masked-out.wav"));
        Assert.Equal(32000, explanation.SampleRate);
        Assert.Equal(32000, maskedOut.SampleRate);
        Assert.Equal(e.ExplanationWaveform, explanation.Samples);
        Assert.Equal(e.MaskedOutWaveform, maskedOut.Samples);
    }

    private static double Number(Match m, string group) => double.Parse(m.Groups[group].Value, CultureInfo.CurrentCulture);

    private static double[] NaiveSoftmax(float[] logits)
    {
        double max = logits.Max();
        double sum = logits.Sum(v => Math.Exp(v - max));
        return [.. logits.Select(v => Math.Exp(v - max) / sum)];
    }

    private static string ReadmeCSharpBlock(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(TestData.RepoRoot, "README.md"));
        int section = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"README.md has no section '{heading}'");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    [GeneratedRegex(@"^(?<label>\S+) \((?<percent>\d+)\W*%\) on (?<device>.+)$")]
    private static partial Regex FirstLine();

    [GeneratedRegex(@"^p_c (?<pc>[\d.,]+), on the explanation (?<qc>[\d.,]+), on the rest (?<rc>[\d.,]+), Fid-In (?<fid>[01])$")]
    private static partial Regex SecondLine();
}

/// <summary>What the README's script sees besides its own code: a console to write to.</summary>
public sealed class ScriptGlobals
{
    public StringWriter Out { get; } = new();
}

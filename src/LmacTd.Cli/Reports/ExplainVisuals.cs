using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Reports;

/// <summary>The optional outputs of <c>lmactd explain</c>: the picture (<c>--plot</c>) and the HTML page (<c>--html</c>).</summary>
internal static class ExplainVisuals
{
    /// <summary>
    /// The bytes of <c>NAME.png</c> and/or <c>NAME.html</c>, keyed by the suffix each file takes after the output stem;
    /// the caller publishes them together with the other outputs of the file (all or none).
    /// </summary>
    public static IReadOnlyList<(string Suffix, byte[] Bytes)> Encode(Explanation e, ModelPackage package, float[] input, string name, bool plot, bool html)
    {
        var files = new List<(string, byte[])>();
        if (!plot && !html) return files;
        var picture = ExplanationPicture.Draw(e, input, package, name);
        if (plot) files.Add((".png", picture));
        if (html) files.Add((".html", HtmlReport.Render(e, input, package, name, picture, [.. e.Warnings.Select(w => w.Message)])));
        return files;
    }
}

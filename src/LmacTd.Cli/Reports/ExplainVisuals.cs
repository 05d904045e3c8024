using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.IO;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Reports;

/// <summary>The optional outputs of <c>lmactd explain</c>: the picture (<c>--plot</c>) and the HTML page (<c>--html</c>).</summary>
internal static class ExplainVisuals
{
    /// <summary>
    /// Writes <c>NAME.png</c> and/or <c>NAME.html</c> into <paramref name="dir"/>; returns the paths written. On failure
    /// removes what it wrote before rethrowing, so the caller's all-or-nothing clean-up stays complete.
    /// </summary>
    public static IReadOnlyList<string> Write(Explanation e, ModelPackage package, float[] input, string dir, string name, bool plot, bool html)
    {
        var written = new List<string>();
        if (!plot && !html) return written;
        try
        {
            var picture = ExplanationPicture.Draw(e, input, package, name);
            if (plot)
            {
                var png = Path.Combine(dir, name + ".png");
                AtomicFile.Write(png, s => s.Write(picture));
                written.Add(png);
            }

            if (html)
            {
                var page = Path.Combine(dir, name + ".html");
                var bytes = HtmlReport.Render(e, input, package, name, picture);
                AtomicFile.Write(page, s => s.Write(bytes));
                written.Add(page);
            }

            return written;
        }
        catch
        {
            foreach (var p in written) AtomicFile.TryDelete(p);
            throw;
        }
    }
}

namespace LmacTd.Cli.Reports;

/// <summary>
/// Gives ScottPlot a sans font by file: SkiaSharp's no-dependency natives cannot ask fontconfig for a family by name,
/// so ScottPlot's default sans falls back to whatever Skia picks (a serif on Debian, seen in the pictures). Naming a
/// font file keeps the pictures' text alike on every machine; with none of these files the fallback stays.
/// </summary>
internal static class PlotFonts
{
    private static readonly Lazy<bool> Loaded = new(Load);

    // Common places of a sans font on Debian, Fedora, macOS and Windows; the first one found is used.
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    /// <summary>Registers a font file once; true when one was found.</summary>
    public static bool EnsureLoaded() => Loaded.Value;

    private static bool Load()
    {
        var file = Candidates.FirstOrDefault(File.Exists);
        if (file is null) return false;
        const string family = "LmacTdSans";
        ScottPlot.Fonts.AddFontFile(family, file, bold: false, italic: false);
        var bold = file.Replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", StringComparison.Ordinal);
        if (bold != file && File.Exists(bold)) ScottPlot.Fonts.AddFontFile(family, bold, bold: true, italic: false);
        ScottPlot.Fonts.Default = family;
        return true;
    }
}

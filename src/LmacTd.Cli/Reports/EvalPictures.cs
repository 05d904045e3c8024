using System.Globalization;
using LmacTd.Cli.Commands;
using LmacTd.Runtime.IO;
using LmacTd.Runtime.Packages;
using ScottPlot;

namespace LmacTd.Cli.Reports;

/// <summary>
/// The pictures of <c>lmactd eval --plots DIR</c>: <c>metrics.png</c>, the set's mean metrics as grouped bars, one
/// colour per interpreter (the percentages AI, AD, AG, then the shares FF, Fid-In, SPS, then COMP, each on its own
/// axis); and, when the clips have labels, <c>confusion-INTERPRETER.png</c> per interpreter: true label
/// by predicted label, each row's share in colour and its count written in the cell.
/// </summary>
internal static class EvalPictures
{
    private static readonly Color[] Palette = [new("#4a6fa5"), new("#e08a2e"), new("#5aa469"), new("#b5515b")];

    /// <summary>Writes the pictures into <paramref name="dir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string dir, ModelPackage package, IReadOnlyList<EvalReport.Run> runs)
    {
        PlotFonts.EnsureLoaded();
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        var metrics = Path.Combine(dir, "metrics.png");
        var bytes = Metrics(package, runs);
        AtomicFile.Write(metrics, s => s.Write(bytes));
        written.Add(metrics);
        foreach (var run in runs)
        {
            if (!run.Clips.Any(c => c.Label is not null && c.Predicted is not null)) continue;
            var path = Path.Combine(dir, $"confusion-{run.Interpreter.Name}.png");
            var png = Confusion(package, run);
            AtomicFile.Write(path, s => s.Write(png));
            written.Add(path);
        }

        return written;
    }

    private static byte[] Metrics(ModelPackage package, IReadOnlyList<EvalReport.Run> runs)
    {
        var sets = runs.Select(r => r.Aggregate()).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        var plots = multiplot.GetPlots();
        // Three panels: the percentages, the shares in [0, 1] and COMP (an entropy, ~10) on one axis would flatten each other.
        Grouped(plots[0], package, runs, ["AI", "AD", "AG"], [.. sets.Select(m => new[] { m.AI, m.AD, m.AG })], "percent", "0.0");
        Grouped(plots[1], package, runs, ["FF", "Fid-In", "SPS"], [.. sets.Select(m => new[] { m.FF, m.FidIn, m.SPS })], "share (0-1)", "0.00");
        Grouped(plots[2], package, runs, ["COMP"], [.. sets.Select(m => new[] { m.COMP })], "entropy", "0.00");
        plots[0].HideLegend();
        plots[1].HideLegend();
        plots[2].ShowLegend(Edge.Bottom);
        int clips = sets.Count == 0 ? 0 : sets.Max(m => m.Count);
        plots[0].Title($"Faithfulness of the explanations, {package.Name}, mean over {clips} clips", size: 17);
        var rows = new ScottPlot.MultiplotLayouts.DraggableRows();
        rows.SetHeights([380, 300, 300]);
        multiplot.Layout = rows;
        using var image = multiplot.Render(900, 980);
        return image.GetImageBytes(ImageFormat.Png);
    }

    private static void Grouped(Plot plot, ModelPackage package, IReadOnlyList<EvalReport.Run> runs, string[] names, double[][] values, string axis, string format)
    {
        int groups = names.Length, k = runs.Count;
        double width = 0.8 / Math.Max(1, k);
        double top = 0;
        for (int r = 0; r < k; r++)
        {
            var bars = new List<Bar>();
            for (int g = 0; g < groups; g++)
            {
                double v = values[r][g];
                // An undefined figure (no clip, no map) is drawn as no bar, labelled n/a.
                bool defined = double.IsFinite(v);
                top = Math.Max(top, defined ? v : 0);
                bars.Add(new Bar
                {
                    Position = g - 0.4 + width * (r + 0.5),
                    Value = defined ? v : 0,
                    Size = width * 0.9,
                    FillColor = Palette[r % Palette.Length],
                    Label = defined ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a",
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.ValueLabelStyle.FontSize = 14;
            plottable.LegendText = EvalReport.MethodName(package, runs[r].Interpreter);
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int g = 0; g < groups; g++) ticks.AddMajor(g, names[g]);
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 16;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = axis;
        plot.Axes.SetLimits(-0.6, groups - 0.4, 0, top <= 0 ? 1 : top * 1.18);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
    }

    private static byte[] Confusion(ModelPackage package, EvalReport.Run run)
    {
        var clips = run.Clips.Where(c => c.Label is not null && c.Predicted is not null).ToList();
        // Classes in the package's order, only those that occur; labels the package does not know go last.
        var seen = clips.SelectMany(c => new[] { c.Label!, c.Predicted! }).ToHashSet(StringComparer.Ordinal);
        var classes = package.Labels.Where(seen.Contains).Concat(seen.Where(l => !package.Labels.Contains(l)).Order(StringComparer.Ordinal)).ToList();
        int n = classes.Count;
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var counts = new int[n, n];
        foreach (var c in clips) counts[index[c.Label!], index[c.Predicted!]]++;

        var share = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            int total = 0;
            for (int p = 0; p < n; p++) total += counts[t, p];
            for (int p = 0; p < n; p++) share[t, p] = total == 0 ? double.NaN : (double)counts[t, p] / total;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ReversedColormap(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(heatmap);
        int fontSize = n > 10 ? 11 : 14;
        for (int t = 0; t < n; t++)
        {
            for (int p = 0; p < n; p++)
            {
                if (counts[t, p] == 0) continue;
                // Row 0 of the heatmap is drawn at the top: true class t sits at y = n - 1 - t.
                var text = plot.Add.Text(counts[t, p].ToString(CultureInfo.InvariantCulture), p, n - 1 - t);
                text.LabelFontSize = fontSize;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = share[t, p] > 0.55 ? Colors.White : Colors.Black;
            }
        }

        var x = new ScottPlot.TickGenerators.NumericManual();
        var y = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < n; i++)
        {
            x.AddMajor(i, classes[i]);
            y.AddMajor(n - 1 - i, classes[i]);
        }

        plot.Axes.Bottom.TickGenerator = x;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 140;
        plot.Axes.Left.TickGenerator = y;
        plot.Axes.Bottom.Label.Text = "predicted";
        plot.Axes.Left.Label.Text = "true label";
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Grid.IsVisible = false;
        double accuracy = run.Accuracy() ?? double.NaN;
        plot.Title($"{EvalReport.MethodName(package, run.Interpreter)}: predictions on {clips.Count} labelled clips, accuracy {accuracy.ToString("P1", CultureInfo.InvariantCulture)}\n(counts; colour: share of the true label's clips)", size: 15);
        using var image = plot.GetImage(900, 820);
        return image.GetImageBytes(ImageFormat.Png);
    }

    // ScottPlot's Blues runs from dark to white; a confusion matrix reads better with empty cells white.
    private sealed class ReversedColormap(IColormap inner) : IColormap
    {
        public string Name => inner.Name + " reversed";

        public Color GetColor(double normalizedIntensity) => inner.GetColor(1 - normalizedIntensity);
    }
}

using System.Globalization;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;
using ScottPlot;

namespace LmacTd.Cli.Reports;

/// <summary>
/// The picture of <c>lmactd explain --plot</c>: the input's, the explanation's and the masked-out signal's log-mel
/// spectrograms on one time axis and one colour scale, the time-relevance curve under them with its segments shaded,
/// and the prediction with the top three classes in the title.
/// </summary>
internal static class ExplanationPicture
{
    /// <summary>Pixels of the picture.</summary>
    public const int Width = 1200, Height = 1000;

    // Shown below the loudest cell of the input; quieter cells all take the colour map's lowest colour.
    private const double DynamicRangeDb = 80;

    // Same left and right margins on every panel so that their time axes line up.
    private static readonly PixelPadding Padding = new(left: 80, right: 110, bottom: 12, top: 12);

    /// <summary>Draws the picture of <paramref name="e"/> as PNG bytes.</summary>
    /// <param name="e">The explanation.</param>
    /// <param name="input">The input's mono samples at <see cref="Explanation.SampleRate"/>.</param>
    /// <param name="package">The model package that made it (front end and labels).</param>
    /// <param name="name">The input's name, for the title.</param>
    public static byte[] Draw(Explanation e, float[] input, ModelPackage package, string name)
    {
        PlotFonts.EnsureLoaded();
        var frontEnd = package.Manifest.FrontEnd;
        var modelInput = e.SampleRate == e.ModelSampleRate ? input : Resampler.Resample(input, e.SampleRate, e.ModelSampleRate);
        var images = new[]
        {
            ("input", LogMelImage.Of(modelInput, frontEnd)),
            ("explanation", LogMelImage.Of(e.ModelRateExplanation, frontEnd)),
            ("masked-out", LogMelImage.Of(e.ModelRateMaskedOut, frontEnd)),
        };
        double top = images[0].Item2.MaxDb;
        var range = new ScottPlot.Range(top - DynamicRangeDb, top);
        double duration = e.DurationSeconds;

        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        var plots = multiplot.GetPlots();
        for (int i = 0; i < 3; i++) Spectrogram(plots[i], images[i].Item1, images[i].Item2, range, frontEnd, duration);
        RelevancePanel(plots[3], e.Relevance, duration);

        var top3 = string.Join(", ", e.Top.Take(3).Select(s => $"{s.Label} {s.Probability.ToString("P1", CultureInfo.InvariantCulture)}"));
        plots[0].Title($"{name}: predicted {e.Label} ({e.Probability.ToString("P1", CultureInfo.InvariantCulture)}), explained by {EvalNames(e)}\ntop 3: {top3}", size: 17);
        plots[0].Layout.Fixed(Padding with { Top = 80 });
        plots[3].Axes.Bottom.Label.Text = "time (s)";
        plots[3].Layout.Fixed(Padding with { Top = 24, Bottom = 60 });

        var rows = new ScottPlot.MultiplotLayouts.DraggableRows();
        rows.SetHeights([300, 220, 220, 260]);
        multiplot.Layout = rows;
        multiplot.SharedAxes.ShareX(plots);
        foreach (var p in plots) p.Axes.SetLimitsX(0, duration);
        using var image = multiplot.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }

    private static string EvalNames(Explanation e) => e.Interpreter == InterpreterKind.LmacTd ? "LMAC-TD" : "L-MAC";

    private static void Spectrogram(Plot plot, string title, LogMelImage image, ScottPlot.Range range, FrontEndSettings frontEnd, double duration)
    {
        plot.Layout.Fixed(Padding);
        var heatmap = plot.Add.Heatmap(image.Decibels);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = range;
        // Frame t of the centred STFT is centred on t * hop; band m sits at y = m.
        double half = image.FrameSeconds / 2;
        int mels = image.Decibels.GetLength(0);
        heatmap.Rectangle = new CoordinateRect(-half, image.Frames * image.FrameSeconds - half, -0.5, mels - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "dB";
        plot.Axes.SetLimits(0, duration, -0.5, mels - 0.5);
        plot.Axes.Left.Label.Text = title;
        plot.Axes.Left.Label.FontSize = 15;
        plot.Axes.Left.Label.Bold = true;
        plot.Axes.Left.TickGenerator = FrequencyTicks(frontEnd);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Grid.IsVisible = false;
    }

    // Mel band m of the HTK filterbank is centred at mel(fMin) + (m + 1) * step; ticks name a few frequencies in Hz.
    private static ScottPlot.TickGenerators.NumericManual FrequencyTicks(FrontEndSettings frontEnd)
    {
        double low = LogMelImage.Mel(frontEnd.FMin), high = LogMelImage.Mel(frontEnd.FMax);
        double step = (high - low) / (frontEnd.NMels + 1);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var hz in new[] { 100.0, 250, 500, 1000, 2000, 4000, 8000, 16000 })
        {
            if (hz <= frontEnd.FMin || hz >= frontEnd.FMax) continue;
            double band = (LogMelImage.Mel(hz) - low) / step - 1;
            ticks.AddMajor(band, hz >= 1000 ? $"{hz / 1000:0.#} kHz" : $"{hz:0} Hz");
        }

        return ticks;
    }

    private static void RelevancePanel(Plot plot, TimeRelevance r, double duration)
    {
        plot.Layout.Fixed(Padding);
        foreach (var s in r.Segments)
        {
            var span = plot.Add.HorizontalSpan(s.StartSeconds, s.EndSeconds);
            span.FillStyle.Color = Colors.Orange.WithAlpha(0.30);
            span.LineStyle.Width = 0;
        }

        var xs = new double[r.Values.Count];
        var ys = new double[r.Values.Count];
        for (int k = 0; k < xs.Length; k++)
        {
            xs[k] = (k + 0.5) * r.HopSeconds;
            ys[k] = r.Values[k];
        }

        var curve = plot.Add.ScatterLine(xs, ys);
        curve.LineWidth = 2;
        curve.Color = Colors.Navy;
        var threshold = plot.Add.HorizontalLine(TimeRelevance.Threshold);
        threshold.LinePattern = LinePattern.Dashed;
        threshold.LineWidth = 1;
        threshold.Color = Colors.Gray;
        plot.Axes.SetLimits(0, duration, 0, 1.05);
        plot.Axes.Left.Label.Text = "relevance";
        plot.Axes.Left.Label.FontSize = 15;
        plot.Axes.Left.Label.Bold = true;
    }
}

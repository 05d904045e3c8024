using System.Globalization;
using System.Net;
using System.Text;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Cli.Reports;

/// <summary>
/// The page of <c>lmactd explain --html</c>: one self-contained HTML file (audio as base64 16-bit WAV data URIs, the
/// picture as a PNG data URI, no external request) with players for the input, the explanation and the masked-out
/// signal, the picture, the top classes, the warnings, and the relevance curve as an inline SVG that seeks the
/// players where it is clicked. Hand-written markup: a templating library would be a dependency for one page.
/// </summary>
internal static class HtmlReport
{
    // Curve points drawn at most: long input is reduced to the maximum of each bucket so that peaks stay visible.
    private const int MaxCurvePoints = 2000;

    // Buttons listed at most; long input can have hundreds of segments, all shaded on the curve anyway.
    private const int MaxSegmentButtons = 24;

    private const int SvgWidth = 1000, SvgHeight = 120;

    /// <summary>Renders the page as UTF-8 bytes.</summary>
    /// <param name="e">The explanation.</param>
    /// <param name="input">The input's mono samples at <see cref="Explanation.SampleRate"/>.</param>
    /// <param name="package">The model package.</param>
    /// <param name="name">The input's name.</param>
    /// <param name="picturePng">The picture of <see cref="ExplanationPicture"/>.</param>
    /// <param name="warnings">What the explainer warned about; rendered as a list, "none" when empty.</param>
    public static byte[] Render(Explanation e, float[] input, ModelPackage package, string name, byte[] picturePng, IReadOnlyList<string>? warnings = null)
    {
        var ci = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        string Enc(string s) => WebUtility.HtmlEncode(s);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.Append(ci, $"<title>{Enc(name)}: {Enc(e.Label)}</title><style>{Css}</style></head><body>\n");
        h.Append(ci, $"<h1>{Enc(name)}: predicted <span id=\"predicted\">{Enc(e.Label)}</span> ({e.Probability.ToString("P1", ci)})</h1>\n");
        h.Append(ci, $"<p class=\"meta\">model {Enc(package.Name)}, interpreter {Enc(e.Interpreter.Name)}, ")
            .Append(ci, $"{e.DurationSeconds.ToString("0.00", ci)} s at {e.SampleRate} Hz, {e.Windows.Count} window(s), device {Enc(e.Device.Name)}</p>\n");

        // Warnings: the caller passes the explanation's warnings (Explanation.Warnings once the library has it).
        var list = warnings ?? [];
        h.Append("<section id=\"warnings\"><h2>Warnings</h2>");
        if (list.Count == 0) h.Append("<p class=\"none\">none</p>");
        else h.Append("<ul>").AppendJoin("", list.Select(w => $"<li>{Enc(w)}</li>")).Append("</ul>");
        h.Append("</section>\n");

        h.Append("<section id=\"players\"><h2>Listen</h2>\n");
        Player(h, "input", "input", input, e.SampleRate);
        Player(h, "explanation", "explanation (what the classifier listened to)", e.ExplanationWaveform, e.SampleRate);
        Player(h, "masked-out", "masked-out (the rest)", e.MaskedOutWaveform, e.SampleRate);
        h.Append("</section>\n");

        h.Append("<section id=\"relevance-section\"><h2>Relevance over time</h2>")
            .Append("<p class=\"hint\">Share of the input's energy the explanation keeps, per 10 ms; shaded: segments at or above ")
            .Append(TimeRelevance.Threshold.ToString("0.##", ci)).Append(". Click the curve to move the players there; the buttons list the segments, highest mean score first.</p>\n");
        Curve(h, e.Relevance, e.DurationSeconds);
        h.Append("<ol id=\"segments\" title=\"segments, highest mean score first\">");
        foreach (var s in e.Segments.Take(MaxSegmentButtons))
        {
            h.Append(ci, $"<li><button type=\"button\" data-t=\"{s.StartSeconds.ToString("0.###", ci)}\">")
                .Append(ci, $"{s.StartSeconds.ToString("0.00", ci)}-{s.EndSeconds.ToString("0.00", ci)} s, mean {s.MeanScore.ToString("0.00", ci)}</button></li>");
        }

        h.Append("</ol>");
        if (e.Segments.Count > MaxSegmentButtons)
            h.Append(ci, $"<p class=\"hint\">and {e.Segments.Count - MaxSegmentButtons} lower-scoring segments (all are in the JSON report)</p>");
        h.Append("</section>\n");

        h.Append("<section id=\"top\"><h2>Top classes</h2><table>");
        foreach (var s in e.Top)
        {
            h.Append(ci, $"<tr><td>{Enc(s.Label)}</td><td class=\"num\">{s.Probability.ToString("P1", ci)}</td>")
                .Append(ci, $"<td><div class=\"bar\" style=\"width:{(s.Probability * 300).ToString("0.#", ci)}px\"></div></td></tr>");
        }

        h.Append("</table></section>\n");
        h.Append("<section id=\"picture\"><h2>Spectrograms</h2><img alt=\"log-mel spectrograms of the input, the explanation and the masked-out signal, and the relevance curve\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(picturePng)).Append("\"></section>\n");
        h.Append(ci, $"<script>const DURATION = {e.DurationSeconds.ToString("R", ci)};\n{Script}</script>\n</body></html>\n");
        return Encoding.UTF8.GetBytes(h.ToString());
    }

    private static void Player(StringBuilder h, string id, string label, float[] samples, int rate)
    {
        // 16-bit PCM: half the size of float WAV and enough for listening.
        var wav = WavWriter.Encode(samples, rate, WavSampleFormat.Pcm16);
        h.Append($"<div class=\"player\"><label for=\"player-{id}\">{WebUtility.HtmlEncode(label)}</label>")
            .Append($"<audio id=\"player-{id}\" controls preload=\"auto\" src=\"data:audio/wav;base64,")
            .Append(Convert.ToBase64String(wav)).Append("\"></audio></div>\n");
    }

    private static void Curve(StringBuilder h, TimeRelevance r, double duration)
    {
        var ci = CultureInfo.InvariantCulture;
        double X(double t) => t / duration * SvgWidth;
        double Y(double v) => SvgHeight - 4 - v * (SvgHeight - 8);
        h.Append(ci, $"<svg id=\"relevance\" viewBox=\"0 0 {SvgWidth} {SvgHeight}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"relevance curve\">");
        foreach (var s in r.Segments)
        {
            h.Append(ci, $"<rect class=\"segment\" x=\"{X(s.StartSeconds):0.##}\" y=\"0\" width=\"{X(s.EndSeconds) - X(s.StartSeconds):0.##}\" height=\"{SvgHeight}\"/>");
        }

        h.Append(ci, $"<line class=\"threshold\" x1=\"0\" x2=\"{SvgWidth}\" y1=\"{Y(TimeRelevance.Threshold):0.##}\" y2=\"{Y(TimeRelevance.Threshold):0.##}\"/>");
        h.Append("<polyline class=\"curve\" points=\"");
        int n = r.Values.Count, buckets = Math.Min(n, MaxCurvePoints);
        for (int b = 0; b < buckets; b++)
        {
            int from = (int)((long)b * n / buckets), to = Math.Max(from + 1, (int)((long)(b + 1) * n / buckets));
            float v = 0;
            for (int k = from; k < to; k++) v = Math.Max(v, r.Values[k]);
            double t = (from + to) / 2.0 * r.HopSeconds;
            h.Append(ci, $"{X(t):0.#},{Y(v):0.#} ");
        }

        h.Append("\"/><line id=\"playhead\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"").Append(SvgHeight).Append("\"/></svg>\n");

        // Time ticks under the curve as HTML, not SVG text: the SVG stretches to the page width and would distort text.
        double step = new[] { 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600 }.FirstOrDefault(x => duration / x <= 12, 1200);
        h.Append("<div class=\"ticks\">");
        for (double t = 0; t <= duration + 1e-9; t += step)
            h.Append(ci, $"<span style=\"left:{(t / duration * 100).ToString("0.###", ci)}%\">{t.ToString("0.#", ci)}</span>");
        h.Append("<span class=\"unit\">s</span></div>\n");
    }

    private const string Css = """
        body { font-family: system-ui, sans-serif; max-width: 1220px; margin: 1.5em auto; padding: 0 1em; color: #222; }
        h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin: 1.2em 0 .4em; }
        .meta, .hint, .none { color: #555; margin: .2em 0; }
        .player { display: flex; align-items: center; gap: 1em; margin: .4em 0; }
        .player label { width: 22em; } .player audio { flex: 1; }
        #relevance { width: 100%; height: 120px; background: #f6f6fa; border: 1px solid #ccd; cursor: pointer; display: block; }
        #relevance .segment { fill: orange; opacity: .3; } #relevance .threshold { stroke: #888; stroke-dasharray: 6 4; stroke-width: 1; }
        #relevance .curve { fill: none; stroke: navy; stroke-width: 2; vector-effect: non-scaling-stroke; }
        #playhead { stroke: crimson; stroke-width: 2; vector-effect: non-scaling-stroke; }
        .ticks { position: relative; height: 1.3em; font-size: .85em; color: #555; margin-bottom: .4em; }
        .ticks span { position: absolute; transform: translateX(-50%); } .ticks .unit { right: -1.2em; transform: none; }
        #segments { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3em; } #segments button { cursor: pointer; }
        table { border-collapse: collapse; } td { padding: .15em .6em; } td.num { text-align: right; }
        .bar { height: .8em; background: #4a6fa5; }
        #picture img { max-width: 100%; border: 1px solid #ddd; }
        """;

    // Clicking the curve (or a segment) moves every player to that time; playing one pauses the others; the playhead
    // follows the player that last played.
    private const string Script = """
        const players = [...document.querySelectorAll('audio')];
        const svg = document.getElementById('relevance');
        const head = document.getElementById('playhead');
        let current = players[0];
        function seek(t) {
          t = Math.max(0, Math.min(DURATION, t));
          for (const p of players) p.currentTime = t;
          draw(t);
        }
        function draw(t) {
          const x = (t / DURATION * 1000).toFixed(1);
          head.setAttribute('x1', x); head.setAttribute('x2', x);
        }
        svg.addEventListener('click', ev => {
          const r = svg.getBoundingClientRect();
          seek((ev.clientX - r.left) / r.width * DURATION);
        });
        for (const b of document.querySelectorAll('#segments button')) b.addEventListener('click', () => seek(parseFloat(b.dataset.t)));
        for (const p of players) {
          p.addEventListener('play', () => { current = p; for (const o of players) if (o !== p) o.pause(); });
          p.addEventListener('timeupdate', () => { if (p === current) draw(p.currentTime); });
        }
        """;
}

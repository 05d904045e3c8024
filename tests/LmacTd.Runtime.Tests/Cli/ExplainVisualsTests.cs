using System.Text.Json;
using System.Text.RegularExpressions;
using LmacTd.Runtime.Audio;
using SkiaSharp;

namespace LmacTd.Runtime.Tests.Cli;

public partial class ExplainVisualsTests
{
    private static (TempDir Dir, string Input, float[] Samples) MakeInput(int rate = 44100)
    {
        var dir = new TempDir();
        var input = dir.File("street.wav");
        int n = rate * 3 / 2;
        // Quiet first half second, then a tone over noise: the curve has something to show.
        var x = TestData.Sine(n, rate, 440).Zip(TestData.Noise(n, 1, 0.1), (a, b) => a + b).Select((v, i) => i < rate / 2 ? 0f : v).ToArray();
        WavWriter.Write(input, x, rate, WavSampleFormat.Float32);
        return (dir, input, x);
    }

    private static (int Code, string Out, string Err) Explain(string input, string outDir, params string[] extra) =>
        CliRunner.Run(["explain", input, "--model", TestData.TinyPackage, "--out", outDir, "--device", "cpu", "--threads", "1", .. extra]);

    [Fact]
    public void Json_holds_the_relevance_curve_and_its_segments()
    {
        var (dir, input, x) = MakeInput();
        using var _ = dir;
        var (code, _, error) = Explain(input, dir.Path);
        Assert.True(code == 0, error);

        using var json = JsonDocument.Parse(File.ReadAllBytes(dir.File("street.json")));
        var r = json.RootElement.GetProperty("relevance");
        Assert.Equal(0.01, r.GetProperty("hopSeconds").GetDouble(), 12);
        var values = r.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal((x.Length + 440) / 441, values.Length);
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        // The silent first half second is below the floor.
        Assert.All(values.Take(45), v => Assert.Equal(0, v));
        foreach (var s in json.RootElement.GetProperty("segments").EnumerateArray())
        {
            int from = (int)Math.Round(s.GetProperty("startSeconds").GetDouble() / 0.01), to = (int)Math.Round(s.GetProperty("endSeconds").GetDouble() / 0.01);
            Assert.Equal(values[from..to].Average(), s.GetProperty("meanScore").GetDouble(), 3);
            Assert.True(values[from] >= 0.5 && values[to - 1] >= 0.5);
        }
    }

    [Fact]
    public void Plot_writes_a_picture_next_to_the_other_outputs()
    {
        var (dir, input, _) = MakeInput(16000);
        using var _ = dir;
        var (code, _, error) = Explain(input, dir.Path, "--plot");
        Assert.True(code == 0, error);
        using var bitmap = SKBitmap.Decode(dir.File("street.png"));
        Assert.NotNull(bitmap);
        Assert.Equal((1200, 1000), (bitmap.Width, bitmap.Height));
        Assert.True(DistinctColours(bitmap) > 100, "the picture is nearly blank");
        Assert.False(File.Exists(dir.File("street.html")));
    }

    [Fact]
    public void Html_is_one_self_contained_page_with_the_three_signals()
    {
        var (dir, input, x) = MakeInput(22050);
        using var _ = dir;
        var (code, _, error) = Explain(input, dir.Path, "--html");
        Assert.True(code == 0, error);
        Assert.False(File.Exists(dir.File("street.png")));
        var html = File.ReadAllText(dir.File("street.html"));

        // Nothing is fetched from elsewhere: every src is a data URI.
        Assert.All(SrcRegex().Matches(html), m => Assert.StartsWith("data:", m.Groups[1].Value, StringComparison.Ordinal));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        var players = AudioRegex().Matches(html).ToDictionary(m => m.Groups[1].Value, m => Decode(dir, m.Groups[1].Value, m.Groups[2].Value));
        Assert.Equal(["input", "explanation", "masked-out"], players.Keys);
        var explanation = AudioDecoder.Load(dir.File("street.explanation.wav"));
        var maskedOut = AudioDecoder.Load(dir.File("street.masked-out.wav"));
        // 16-bit in the page: equal to the float outputs within one quantisation step (and clipping at full scale).
        Assert.True(TestData.MaxAbsDiff(x.Select(Clip).ToArray(), players["input"].Samples) <= 1.0f / 32767);
        Assert.True(TestData.MaxAbsDiff(explanation.Samples.Select(Clip).ToArray(), players["explanation"].Samples) <= 1.0f / 32767);
        Assert.True(TestData.MaxAbsDiff(maskedOut.Samples.Select(Clip).ToArray(), players["masked-out"].Samples) <= 1.0f / 32767);
        Assert.All(players.Values, p => Assert.Equal(22050, p.SampleRate));

        Assert.Matches(@"<img [^>]*src=""data:image/png;base64,", html);
        Assert.Contains("<polyline class=\"curve\"", html, StringComparison.Ordinal);
        Assert.Contains("const DURATION = 1.5;", html, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllBytes(dir.File("street.json")));
        Assert.Equal(json.RootElement.GetProperty("segments").GetArrayLength(), Regex.Matches(html, "<rect class=\"segment\"").Count);
        Assert.Contains($"predicted <span id=\"predicted\">{json.RootElement.GetProperty("predicted").GetString()}</span>", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"warnings\"><h2>Warnings</h2><p class=\"none\">none</p>", html, StringComparison.Ordinal);
    }

    private static float Clip(float v) => Math.Clamp(v, -1f, 1f);

    private static AudioClip Decode(TempDir dir, string id, string base64)
    {
        var path = dir.File($"page-{id}.wav");
        File.WriteAllBytes(path, Convert.FromBase64String(base64));
        return AudioDecoder.Load(path);
    }

    internal static int DistinctColours(SKBitmap bitmap)
    {
        var seen = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3) seen.Add((uint)bitmap.GetPixel(x, y));
        }

        return seen.Count;
    }

    [GeneratedRegex("<audio id=\"player-([a-z-]+)\"[^>]*src=\"data:audio/wav;base64,([^\"]+)\"")]
    private static partial Regex AudioRegex();

    [GeneratedRegex("src=\"([^\"]*)\"")]
    private static partial Regex SrcRegex();
}

using System.Text.Json;
using LmacTd.Cli.Commands;
using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Cli;

/// <summary>The long-file path of <c>lmactd explain</c> (read, explained and written a block at a time) against the in-memory path.</summary>
public class LongFileTests
{
    private const int Rate = 22050;

    [Theory]
    [InlineData("Float32")]
    [InlineData("Pcm16")]
    public void A_70_s_file_gives_the_outputs_and_report_of_the_in_memory_path(string formatName)
    {
        // By name: the enum is internal, and a public test method cannot take it.
        var format = Enum.Parse<WavSampleFormat>(formatName);
        using var dir = new TempDir();
        var input = dir.File("long.wav");
        // Loud enough near its peaks that 16-bit output may need its gain; noise above the tiny model's 8 kHz band too.
        int n = 70 * Rate;
        var signal = TestData.Sine(n, Rate, 440, 0.6).Zip(TestData.Noise(n, 4, 0.35), (a, b) => a + b).ToArray();
        for (int i = 0; i < n; i++) signal[i] *= (float)(0.5 + 0.5 * Math.Sin(2 * Math.PI * i / (9.0 * Rate)));
        WavWriter.Write(input, signal, Rate);
        var package = ModelPackage.Load(TestData.TinyPackage);
        using var explainer = new Explainer(package, TestData.Options(InterpreterKind.LmacTd));
        var settings = new ExplainSettings([input], Format: format);
        var memory = OutputNames.Plan([input], Path.Combine(dir.Path, "memory"))[0];
        var streamed = OutputNames.Plan([input], Path.Combine(dir.Path, "streamed"))[0];

        ExplainFile.Run(explainer, package, memory, settings, CancellationToken.None, streamAboveSeconds: double.MaxValue);
        var line = ExplainFile.Run(explainer, package, streamed, settings, CancellationToken.None, streamAboveSeconds: 60);

        Assert.Contains("70.00 s at 22050 Hz", line, StringComparison.Ordinal);
        double tolerance = format == WavSampleFormat.Float32 ? 1e-5 : 1.01 / 32768;
        AssertClose(AudioDecoder.Load(memory.Explanation).Samples, AudioDecoder.Load(streamed.Explanation).Samples, tolerance);
        AssertClose(AudioDecoder.Load(memory.MaskedOut).Samples, AudioDecoder.Load(streamed.MaskedOut).Samples, tolerance);
        using var a = JsonDocument.Parse(File.ReadAllBytes(memory.Json));
        using var b = JsonDocument.Parse(File.ReadAllBytes(streamed.Json));
        AssertSameReport(a.RootElement, b.RootElement);
        // The streamed path times decode, explain and write as they interleave, not the graphs' stages: it did run.
        Assert.True(a.RootElement.GetProperty("timings").TryGetProperty("frontEndMs", out _));
        Assert.False(b.RootElement.GetProperty("timings").TryGetProperty("frontEndMs", out _));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "streamed"), "*.tmp"));
    }

    [Fact]
    public void An_interrupted_long_file_leaves_no_output_and_no_temporary()
    {
        using var dir = new TempDir();
        var input = dir.File("long.wav");
        WavWriter.Write(input, TestData.Noise(65 * 16000, 2, 0.5), 16000);
        var package = ModelPackage.Load(TestData.TinyPackage);
        using var explainer = new Explainer(package, TestData.Options(InterpreterKind.LmacTd));
        var outDir = Path.Combine(dir.Path, "out");
        var names = OutputNames.Plan([input], outDir)[0];
        foreach (int ms in new[] { 0, 150, 400 })
        {
            using var cts = new CancellationTokenSource();
            if (ms == 0) cts.Cancel();
            else cts.CancelAfter(ms);
            try
            {
                ExplainFile.Run(explainer, package, names, new ExplainSettings([input]), cts.Token);
            }
            catch (OperationCanceledException)
            {
            }

            var left = Directory.Exists(outDir) ? Directory.GetFiles(outDir) : [];
            Assert.DoesNotContain(left, f => f.EndsWith(".tmp", StringComparison.Ordinal));
            Assert.True(left.Length is 0 or 3, $"after {ms} ms: {string.Join(", ", left)}");
            if (ms == 0) Assert.Empty(left);
            foreach (var f in left) File.Delete(f);
        }
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= tolerance, $"largest difference {worst}");
    }

    private static void AssertSameReport(JsonElement a, JsonElement b)
    {
        foreach (var key in new[] { "predicted", "interpreter", "device", "model" })
            Assert.Equal(a.GetProperty(key).GetString(), b.GetProperty(key).GetString());
        foreach (var key in new[] { "classIndex", "sampleRate", "channels", "modelSampleRate" })
            Assert.Equal(a.GetProperty(key).GetInt32(), b.GetProperty(key).GetInt32());
        Assert.Equal(a.GetProperty("probability").GetDouble(), b.GetProperty("probability").GetDouble(), 5);
        Assert.Equal(a.GetProperty("durationSeconds").GetDouble(), b.GetProperty("durationSeconds").GetDouble(), 9);
        Assert.Equal(a.GetProperty("aboveBandShare").GetDouble(), b.GetProperty("aboveBandShare").GetDouble(), 6);
        Assert.Equal(a.TryGetProperty("pcm16Gain", out var ga), b.TryGetProperty("pcm16Gain", out var gb));
        if (ga.ValueKind == JsonValueKind.Number) Assert.Equal(ga.GetDouble(), gb.GetDouble(), 4);
        Assert.Equal(Kinds(a.GetProperty("warnings")), Kinds(b.GetProperty("warnings")));
        Assert.Equal(Labels(a.GetProperty("top")), Labels(b.GetProperty("top")));

        var wa = a.GetProperty("windows").EnumerateArray().ToList();
        var wb = b.GetProperty("windows").EnumerateArray().ToList();
        Assert.True(wa.Count > 20, $"{wa.Count} windows");
        Assert.Equal(wa.Count, wb.Count);
        for (int i = 0; i < wa.Count; i++)
        {
            Assert.Equal(wa[i].GetProperty("startSeconds").GetDouble(), wb[i].GetProperty("startSeconds").GetDouble(), 9);
            Assert.Equal(wa[i].GetProperty("predicted").GetString(), wb[i].GetProperty("predicted").GetString());
            Assert.Equal(wa[i].GetProperty("probability").GetDouble(), wb[i].GetProperty("probability").GetDouble(), 5);
            Assert.Equal(wa[i].GetProperty("aboveBandShare").GetDouble(), wb[i].GetProperty("aboveBandShare").GetDouble(), 6);
        }

        foreach (var key in new[] { "p_c", "q_c", "r_c", "AI", "AD", "FF" })
            Assert.Equal(a.GetProperty("evidence").GetProperty(key).GetDouble(), b.GetProperty("evidence").GetProperty(key).GetDouble(), 4);
        var ra = a.GetProperty("relevance").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var rb = b.GetProperty("relevance").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(ra.Count, rb.Count);
        Assert.True(ra.Zip(rb).All(p => Math.Abs(p.First - p.Second) <= 2e-4), "relevance curves differ");
        Assert.Equal(a.GetProperty("segments").GetArrayLength(), b.GetProperty("segments").GetArrayLength());
    }

    private static string[] Kinds(JsonElement warnings) => [.. warnings.EnumerateArray().Select(w => w.GetProperty("kind").GetString()!)];

    private static string[] Labels(JsonElement top) => [.. top.EnumerateArray().Select(t => t.GetProperty("label").GetString()!)];
}

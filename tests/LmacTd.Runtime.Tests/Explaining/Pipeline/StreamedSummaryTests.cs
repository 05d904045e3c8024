using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The summary a caller builds from a stream's pieces (what the command line does on long files) against the offline
/// explanation of the same audio: prediction, shares above the band, warnings, relevance curve.
/// </summary>
public class StreamedSummaryTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    [Theory]
    [InlineData(22050, 7.3, 4096)]
    [InlineData(16000, 0.3, 1000)]
    public void The_summary_of_a_stream_is_the_offline_explanation_without_its_waveforms(int rate, double seconds, int chunk)
    {
        int n = (int)(rate * seconds) + 1;
        var x = ExplainerTests.Mixture(n, rate);
        if (rate > 16000)
        {
            var high = TestData.Sine(n, rate, 10000, 0.3);
            for (int i = 0; i < n; i++) x[i] += high[i];
        }

        var explainer = tiny.LmacTd;
        var clip = new AudioClip(x, rate) { DeclaredFrames = 2L * n };
        var offline = explainer.Explain(clip);

        var summary = new StreamedExplanation(explainer, rate);
        Assert.Throws<InvalidOperationException>(() => summary.Relevance);
        var stream = explainer.OpenStream(rate);
        for (int at = 0; at < n; at += chunk)
        {
            var part = x.AsSpan(at, Math.Min(chunk, n - at));
            summary.AddInput(part);
            summary.AddOutput(stream.Write(part));
        }

        summary.AddOutput(stream.Complete());
        var e = summary.Finish(2L * n, new StageTimings());

        Assert.Equal(n, summary.Samples);
        Assert.Equal((double)n / rate, summary.DurationSeconds, 12);
        Assert.Equal(rate, e.SampleRate);
        Assert.Equal(16000, e.ModelSampleRate);
        Assert.Equal(offline.ClassIndex, e.ClassIndex);
        Assert.True(TestData.MaxAbsDiff(offline.Probabilities, e.Probabilities) <= 1e-5f);
        Assert.Equal(offline.Top.Select(t => t.Index), e.Top.Select(t => t.Index));
        Assert.Equal(offline.AboveBandShare, e.AboveBandShare, 9);
        if (rate > 16000) Assert.InRange(e.AboveBandShare, 0.1, 0.9);
        Assert.Equal(offline.Windows.Select(w => w.Start), e.Windows.Select(w => w.Start));
        for (int i = 0; i < e.Windows.Count; i++)
        {
            Assert.Equal(offline.Windows[i].AboveBandShare!.Value, e.Windows[i].AboveBandShare!.Value, 9);
            Assert.Empty(e.Windows[i].Mask);
            Assert.Equal(offline.Windows[i].Metrics!.FF, e.Windows[i].Metrics!.FF, 5);
        }

        Assert.Equal(offline.Warnings.Select(w => w.Kind), e.Warnings.Select(w => w.Kind));
        Assert.Contains(e.Warnings, w => w.Kind == WarningKind.Truncated);
        Assert.Equal(offline.Warnings.Select(w => w.Message), e.Warnings.Select(w => w.Message));
        var curve = summary.Relevance;
        Assert.Equal(offline.Relevance.HopSamples, curve.HopSamples);
        Assert.Equal(offline.Relevance.Values.Count, curve.Values.Count);
        Assert.True(TestData.MaxAbsDiff([.. offline.Relevance.Values], [.. curve.Values]) <= 1e-4f);
        Assert.Empty(e.ExplanationWaveform);
    }

    [Fact]
    public void A_stream_that_holds_all_it_declared_is_not_called_truncated()
    {
        var x = ExplainerTests.Mixture(16000, 16000);
        var summary = new StreamedExplanation(tiny.LmacStft, 16000);
        var stream = tiny.LmacStft.OpenStream(16000);
        summary.AddInput(x);
        summary.AddOutput(stream.Write(x));
        summary.AddOutput(stream.Complete());
        Assert.DoesNotContain(summary.Finish(x.Length, new StageTimings()).Warnings, w => w.Kind == WarningKind.Truncated);
    }
}

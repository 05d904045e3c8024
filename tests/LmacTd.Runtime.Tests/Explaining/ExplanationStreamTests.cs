using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

public class ExplanationStreamTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    public static TheoryData<int, int, string> Cases() => new()
    {
        { 16000, 1, "lmac-td" },
        { 16000, 997, "lmac-td" },
        { 16000, 16000, "lmac-stft" },
        { 16000, int.MaxValue, "lmac-td" },
        { 44100, 997, "lmac-td" },
        { 44100, 16000, "lmac-stft" },
        { 8000, 1, "lmac-stft" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Concatenated_output_equals_offline_explain(int rate, int chunk, string kindName)
    {
        var explainer = tiny.Of(InterpreterKind.Parse(kindName));
        // 12.3 s: five windows, the last flush with the end, and an odd length.
        var x = ExplainerTests.Mixture((int)(rate * 12.3) + 1, rate);
        var offline = explainer.Explain(x, rate);

        var stream = explainer.OpenStream(rate);
        var expl = new List<float>();
        var outs = new List<float>();
        var windows = new List<ExplainedWindow>();
        long windowsBeforeEnd = 0;
        for (int at = 0; at < x.Length; at += chunk)
        {
            var part = stream.Write(x.AsSpan(at, Math.Min(chunk, x.Length - at)));
            Assert.Equal(expl.Count, part.Start);
            expl.AddRange(part.Explanation);
            outs.AddRange(part.MaskedOut);
            windows.AddRange(part.Windows);
            windowsBeforeEnd = windows.Count;
            Assert.False(part.IsFinal);
        }

        var last = stream.Complete();
        Assert.True(last.IsFinal);
        Assert.Equal(expl.Count, last.Start);
        expl.AddRange(last.Explanation);
        outs.AddRange(last.MaskedOut);
        windows.AddRange(last.Windows);

        Assert.Equal(x.Length, expl.Count);
        Assert.True(TestData.MaxAbsDiff(offline.ExplanationWaveform, expl.ToArray()) <= 1e-5f);
        Assert.True(TestData.MaxAbsDiff(offline.MaskedOutWaveform, outs.ToArray()) <= 1e-5f);
        Assert.Equal(offline.Windows.Select(w => w.Start), windows.Select(w => w.Start));
        for (int i = 0; i < windows.Count; i++)
        {
            Assert.True(TestData.MaxAbsDiff(offline.Windows[i].Probabilities, windows[i].Probabilities) <= 1e-5f);
            Assert.True(TestData.MaxAbsDiff(offline.Windows[i].Mask, windows[i].Mask) <= 1e-5f);
            Assert.True(Math.Abs(offline.Windows[i].Metrics!.FF - windows[i].Metrics!.FF) <= 1e-5);
        }

        // Every regular window came out while the audio was still arriving; only the last, flush with the end, waits for it.
        Assert.Equal(windows.Count - 1, windowsBeforeEnd);
    }

    [Fact]
    public void Output_lags_the_input_by_one_window()
    {
        var stream = tiny.LmacTd.OpenStream(16000);
        var x = ExplainerTests.Mixture(16000 * 20, 16000);
        long produced = 0;
        for (int at = 0; at < x.Length; at += 1600)
        {
            var part = stream.Write(x.AsSpan(at, 1600));
            produced += part.Explanation.Length;
            long lag = at + 1600 - produced;
            // One clip (80000 samples): a sample is final once the window starting there has been explained.
            if (at + 1600 > 80000) Assert.Equal(80000, lag);
        }

        Assert.True(produced > 0);
    }

    [Fact]
    public void Bad_samples_name_their_index_in_the_stream_and_break_it()
    {
        var stream = tiny.LmacTd.OpenStream(16000, "mic");
        stream.Write(TestData.Sine(1000, 16000, 440));
        var bad = TestData.Sine(10, 16000, 440);
        bad[3] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => stream.Write(bad));
        Assert.Contains("mic: sample 1003 is NaN", e.Message);
        Assert.Throws<InvalidOperationException>(() => stream.Write(TestData.Sine(10, 16000, 440)));
    }

    [Fact]
    public void A_silent_stream_is_refused_at_the_end()
    {
        var stream = tiny.LmacTd.OpenStream(16000, "room");
        // Silence is not explained: what comes out of it so far is zeros.
        Assert.All(stream.Write(new float[16000 * 6]).Explanation, v => Assert.Equal(0f, v));
        var e = Assert.Throws<ArgumentException>(() => stream.Complete());
        Assert.Contains("room: the audio is silent", e.Message);
    }
}

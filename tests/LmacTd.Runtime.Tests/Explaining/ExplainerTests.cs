using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

public class ExplainerTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    internal static float[] Mixture(int samples, int rate) =>
        TestData.Sine(samples, rate, 440, 0.4).Zip(TestData.Noise(samples, samples, 0.1), (a, b) => a + b).ToArray();

    [Theory]
    [InlineData(8000, "lmac-td")]
    [InlineData(22050, "lmac-stft")]
    [InlineData(44100, "lmac-td")]
    [InlineData(48000, "lmac-stft")]
    [InlineData(96000, "lmac-td")]
    public void Outputs_have_the_input_duration_and_rate(int rate, string kindName)
    {
        var kind = InterpreterKind.Parse(kindName);
        var x = Mixture(rate * 3 / 2, rate);
        var e = tiny.Of(kind).Explain(x, rate);
        Assert.Equal(rate, e.SampleRate);
        Assert.Equal(16000, e.ModelSampleRate);
        Assert.Equal(x.Length, e.ExplanationWaveform.Length);
        Assert.Equal(x.Length, e.MaskedOutWaveform.Length);
        Assert.Equal(24000, e.ModelRateExplanation.Length);
        Assert.Equal(1.5, e.DurationSeconds, 6);
        Assert.Equal(kind, e.Interpreter);
        Assert.All(e.ExplanationWaveform, v => Assert.True(float.IsFinite(v)));
        Assert.True(TestData.MaxAbs(e.ExplanationWaveform) > 0);
    }

    [Fact]
    public void Prediction_top_k_and_probabilities_are_consistent()
    {
        var e = tiny.LmacTd.Explain(Mixture(16000, 16000), 16000);
        Assert.Equal(1.0, e.Probabilities.Sum(), 4);
        Assert.Equal(5, e.Top.Count);
        Assert.Equal(e.ClassIndex, e.Top[0].Index);
        Assert.Equal(tiny.Package.Labels[e.ClassIndex], e.Label);
        Assert.Equal(e.Probabilities.Max(), e.Probability);
        for (int i = 1; i < e.Top.Count; i++) Assert.True(e.Top[i - 1].Probability >= e.Top[i].Probability);
        Assert.Equal([8, 9999], e.Windows[0].MaskShape);
        Assert.Equal(8 * 9999, e.Windows[0].Mask.Length);
    }

    [Theory]
    [InlineData("lmac-td")]
    [InlineData("lmac-stft")]
    public void Outputs_follow_the_input_level(string kindName)
    {
        var kind = InterpreterKind.Parse(kindName);
        var x = Mixture(20000, 16000);
        var a = tiny.Of(kind).Explain(x, 16000);
        var b = tiny.Of(kind).Explain(x.Select(v => v * 0.25f).ToArray(), 16000);
        Assert.Equal(a.ClassIndex, b.ClassIndex);
        var scaled = a.ExplanationWaveform.Select(v => v * 0.25f).ToArray();
        Assert.True(TestData.MaxAbsDiff(scaled, b.ExplanationWaveform) < 1e-5f);
    }

    [Theory]
    [InlineData("lmac-td")]
    [InlineData("lmac-stft")]
    public void Long_audio_is_explained_in_overlapping_windows(string kindName)
    {
        var kind = InterpreterKind.Parse(kindName);
        var x = Mixture(16000 * 12, 16000);
        var e = tiny.Of(kind).Explain(x, 16000);
        // 12 s with 5 s windows every 2.5 s: starts 0, 2.5, 5 and a last one flush with the end (7 s).
        Assert.Equal([0, 40000, 80000, 112000], e.Windows.Select(w => w.Start));
        Assert.All(e.Windows, w => Assert.Equal(80000, w.Length));
        Assert.All(e.Windows, w => Assert.NotNull(w.Evidence));
        Assert.Equal(x.Length, e.ExplanationWaveform.Length);
        var mean = new float[e.Probabilities.Length];
        foreach (var w in e.Windows)
        {
            for (int k = 0; k < mean.Length; k++) mean[k] += w.Probabilities[k] / e.Windows.Count;
        }

        Assert.True(TestData.MaxAbsDiff(mean, e.Probabilities) < 1e-6f);
        // Each stretch covered by one window alone is that window's output, unblended.
        var first = tiny.Of(kind).Explain(x.AsSpan(0, 80000), 16000);
        var err = TestData.MaxAbsDiff(first.ExplanationWaveform.AsSpan(0, 40000), e.ExplanationWaveform.AsSpan(0, 40000));
        Assert.True(err < 1e-5f, $"first window differs by {err}");
    }

    [Fact]
    public void Silent_windows_of_long_audio_are_skipped()
    {
        var x = new float[16000 * 11];
        Mixture(16000 * 3, 16000).CopyTo(x, 0);
        var e = tiny.LmacTd.Explain(x, 16000);
        // Windows at 0 and 2.5 s hold sound; those at 5 s and 6 s (the last) are silent.
        Assert.Equal([0, 40000], e.Windows.Select(w => w.Start));
        Assert.All(e.ExplanationWaveform.AsSpan(120000).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_batch_gives_the_same_results_as_one_by_one()
    {
        var clips = new[]
        {
            new AudioClip(Mixture(16000, 16000), 16000),
            new AudioClip(Mixture(30000, 22050), 22050),
            new AudioClip(Mixture(16000 * 7, 16000), 16000),
        };
        var batch = tiny.LmacTd.ExplainBatch(clips);
        Assert.Equal(3, batch.Count);
        for (int i = 0; i < clips.Length; i++)
        {
            var single = tiny.LmacTd.Explain(clips[i]);
            Assert.Equal(single.Windows.Count, batch[i].Windows.Count);
            Assert.True(TestData.MaxAbsDiff(single.Probabilities, batch[i].Probabilities) < 1e-5f);
            Assert.True(TestData.MaxAbsDiff(single.ExplanationWaveform, batch[i].ExplanationWaveform) < 1e-5f);
            Assert.True(TestData.MaxAbsDiff(single.MaskedOutWaveform, batch[i].MaskedOutWaveform) < 1e-5f);
        }
    }

    [Fact]
    public void One_instance_serves_many_threads()
    {
        var inputs = Enumerable.Range(0, 6).Select(i => Mixture(12000 + 1000 * i, 16000)).ToArray();
        var sequential = inputs.Select(x => tiny.LmacStft.Explain(x, 16000)).ToArray();
        var parallel = new Explanation[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i => parallel[i] = tiny.LmacStft.Explain(inputs[i], 16000));
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i].ExplanationWaveform, parallel[i].ExplanationWaveform);
            Assert.Equal(sequential[i].Probabilities, parallel[i].Probabilities);
        }
    }

    [Fact]
    public void Evidence_holds_p_q_r_and_the_map_of_each_interpreter()
    {
        var x = Mixture(16000, 16000);
        var td = Assert.IsType<FaithfulnessEvidence>(tiny.LmacTd.Explain(x, 16000).Windows[0].Evidence);
        Assert.Equal([431, 513], td.MapShape);
        Assert.Equal(431 * 513, td.Map.Length);
        var st = tiny.LmacStft.Explain(x, 16000);
        var stEvidence = Assert.IsType<FaithfulnessEvidence>(st.Windows[0].Evidence);
        Assert.Equal([425, 513], stEvidence.MapShape);
        Assert.Equal(st.Windows[0].Mask, stEvidence.Map);
        foreach (var ev in new[] { td, stEvidence })
        {
            Assert.Equal(1.0, ev.P.Sum(), 4);
            Assert.Equal(1.0, ev.Q.Sum(), 4);
            Assert.Equal(1.0, ev.R.Sum(), 4);
            Assert.Equal(Softmax.ArgMax(ev.P), ev.ClassIndex);
        }
    }

    [Fact]
    public void Evidence_can_be_turned_off()
    {
        using var explainer = new Explainer(tiny.Package, TestData.Options(InterpreterKind.LmacTd, evidence: false));
        var e = explainer.Explain(Mixture(16000, 16000), 16000);
        Assert.Null(e.Windows[0].Evidence);
    }

    [Fact]
    public void Bad_input_gets_a_clear_error()
    {
        var nan = Mixture(16000, 16000);
        nan[123] = float.NaN;
        Assert.Contains("sample 123", Assert.Throws<ArgumentException>(() => tiny.LmacTd.Explain(nan, 16000)).Message, StringComparison.Ordinal);
        var inf = Mixture(16000, 16000);
        inf[5] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => tiny.LmacTd.Explain(inf, 16000));
        Assert.Contains("silent", Assert.Throws<ArgumentException>(() => tiny.LmacTd.Explain(new float[16000], 16000)).Message, StringComparison.Ordinal);
        Assert.Contains("no samples", Assert.Throws<ArgumentException>(() => tiny.LmacTd.Explain(ReadOnlySpan<float>.Empty, 16000)).Message, StringComparison.Ordinal);
        var named = new AudioClip(new float[100], 16000, 1, "quiet.wav");
        Assert.StartsWith("quiet.wav:", Assert.Throws<ArgumentException>(() => tiny.LmacTd.Explain(named)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_all_negative_clip_is_normalised_by_its_absolute_maximum()
    {
        var x = Mixture(16000, 16000).Select(v => -Math.Abs(v)).ToArray();
        var e = tiny.LmacTd.Explain(x, 16000);
        Assert.Equal(x.Select(Math.Abs).Max(), e.Windows[0].NormalisationDivisor);
    }

    [Fact]
    public void A_disposed_explainer_refuses_work()
    {
        var explainer = new Explainer(tiny.Package, TestData.Options(InterpreterKind.LmacStft));
        explainer.Dispose();
        explainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => explainer.Explain(Mixture(1000, 16000), 16000));
    }

    [Fact]
    public void Timings_are_reported()
    {
        var e = tiny.LmacTd.Explain(Mixture(16000, 16000), 16000);
        Assert.True(e.Timings.Total > TimeSpan.Zero);
        Assert.True(e.Timings.Total >= e.Timings.Classifier + e.Timings.Interpreter);
        Assert.Equal(7, e.Timings.ToMilliseconds().Count);
    }
}

using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Explaining.Pipeline;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The timeline alone, without graphs: each window is "explained" by the test as a known share of itself (window w keeps
/// <c>g_w</c> of its normalised audio), so what the timeline must return follows from the design's stated rules — the
/// window plan, the raised-cosine overlap-add, the level put back, the rates — computed here from the input, in double.
/// Milliseconds per case, so these are the ones a mutation run leans on.
/// </summary>
public class ClipTimelineTests
{
    private const int ModelRate = 1000;
    private const int Clip = 400;

    public static TheoryData<int, int, double, int> Cases() => new()
    {
        // inputRate, input samples, overlap, chunk
        { 1000, 150, 0.5, 7 },         // shorter than a clip: one zero-padded window
        { 1000, 400, 0.5, 400 },       // exactly a clip
        { 1000, 401, 0.5, 1 },         // one past: two windows, the last flush with the end
        { 1000, 2345, 0.5, 97 },       // many windows, odd length
        { 1000, 2345, 0.0, 1000 },     // no overlap
        { 1000, 2345, 0.9, 333 },      // hop of 40
        { 1000, 2345, 0.33, 2345 },    // hop rounded: 400 - round(132) = 268
        { 2205, 5001, 0.5, 500 },      // input faster than the model
        { 800, 1999, 0.5, 64 },        // input slower than the model
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Offline_outputs_follow_the_plan_the_weights_and_the_level(int inputRate, int length, double overlap, int chunk)
    {
        var x = Signal(length, inputRate, 1);
        var run = Run(x, inputRate, overlap, chunk, offline: true);
        var whole = run.Timeline.Whole;
        var expected = Expected(x, inputRate, overlap);

        Assert.Equal(expected.Starts, whole.Windows.Select(w => w.Start));
        Assert.Equal(expected.Lengths, whole.Windows.Select(w => w.Length));
        Assert.Equal(expected.Divisors, whole.Windows.Select(w => w.NormalisationDivisor));
        AssertClose(expected.ModelExplanation, whole.ModelRateExplanation, 2e-6);
        AssertClose(expected.ModelMaskedOut, whole.ModelRateMaskedOut, 2e-6);
        AssertClose(expected.Explanation, whole.Explanation, 2e-6);
        Assert.Equal(length, whole.MaskedOut.Length);
        for (int i = 0; i < length; i++) Assert.Equal(x[i] - whole.Explanation[i], whole.MaskedOut[i]);
        if (inputRate == ModelRate) Assert.Empty(whole.BandLimitedInput);
        else AssertClose(expected.BandLimited, whole.BandLimitedInput, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streamed_outputs_concatenate_to_the_offline_ones(int inputRate, int length, double overlap, int chunk)
    {
        var x = Signal(length, inputRate, 2);
        var offline = Run(x, inputRate, overlap, chunk, offline: true).Timeline.Whole;
        var streamed = Run(x, inputRate, overlap, chunk, offline: false);

        Assert.Equal(offline.Windows.Select(w => w.Start), streamed.Windows.Select(w => w.Start));
        Assert.Equal(offline.Explanation, streamed.Explanation);
        Assert.Equal(offline.MaskedOut, streamed.MaskedOut);
        Assert.Throws<InvalidOperationException>(() => streamed.Timeline.Whole);
    }

    [Fact]
    public void Output_lags_the_input_by_one_clip_at_the_models_rate()
    {
        var x = Signal(5000, ModelRate, 3);
        var timeline = New(ModelRate, 0.5, null);
        var jobs = new List<WindowJob>();
        long produced = 0;
        for (int at = 0; at < x.Length; at += 50)
        {
            timeline.Write(x.AsSpan(at, 50));
            timeline.TakeJobs(jobs);
            Explain(timeline, jobs);
            var (expl, outs, start, _) = timeline.TakeOutput();
            Assert.Equal(produced, start);
            Assert.Equal(expl.Length, outs.Length);
            produced += expl.Length;
            Assert.Equal(Math.Max(0, at + 50 - Clip), produced);
        }

        Assert.False(timeline.IsDone);
        timeline.Complete();
        timeline.TakeJobs(jobs);
        Explain(timeline, jobs);
        Assert.True(timeline.IsDone);
        Assert.Equal(x.Length - produced, timeline.TakeOutput().Explanation.Length);
    }

    [Fact]
    public void Windows_wait_for_the_graphs_and_output_waits_for_the_windows()
    {
        // Jobs not yet explained hold the output back; explained late, in one go, they give the same result.
        var x = Signal(2345, ModelRate, 4);
        var timeline = New(ModelRate, 0.5, x.Length);
        var jobs = new List<WindowJob>();
        timeline.Write(x);
        timeline.Complete();
        timeline.TakeJobs(jobs);
        Assert.False(timeline.IsDone);
        Assert.Throws<InvalidOperationException>(() => timeline.Whole);
        var expected = Expected(x, ModelRate, 0.5);
        Assert.Equal(expected.Starts, jobs.Select(j => j.Start));
        Explain(timeline, jobs);
        Assert.True(timeline.IsDone);
        AssertClose(expected.Explanation, timeline.Whole.Explanation, 2e-6);
    }

    [Fact]
    public void Each_window_reaches_the_graphs_normalised_and_zero_padded()
    {
        var x = Signal(150, ModelRate, 5).Select(v => v * 0.3f).ToArray();
        x[40] = -0.9f; // the largest magnitude is negative: the signed maximum still divides
        var timeline = New(ModelRate, 0.5, x.Length);
        var jobs = new List<WindowJob>();
        timeline.Write(x);
        timeline.Complete();
        timeline.TakeJobs(jobs);
        var job = Assert.Single(jobs);
        float max = x.Max();
        Assert.Equal(max, job.Divisor);
        var row = Enumerable.Repeat(float.NaN, Clip).ToArray();
        timeline.CopyWindow(job, row);
        for (int i = 0; i < x.Length; i++) Assert.Equal((double)x[i] / max, row[i], 1e-6);
        Assert.All(row[x.Length..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void An_all_negative_window_is_divided_by_its_largest_magnitude()
    {
        var x = Signal(150, ModelRate, 6).Select(v => -0.1f - Math.Abs(v)).ToArray();
        var timeline = New(ModelRate, 0.5, x.Length);
        var jobs = new List<WindowJob>();
        timeline.Write(x);
        timeline.Complete();
        timeline.TakeJobs(jobs);
        Assert.Equal(x.Max(Math.Abs), Assert.Single(jobs).Divisor);
    }

    [Fact]
    public void Silent_windows_are_skipped_and_their_stretch_stays_silent()
    {
        // 3000 samples: sound, 1600 of silence (windows wholly inside it are not explained), sound.
        var x = Signal(3000, ModelRate, 7);
        Array.Clear(x, 700, 1600);
        var run = Run(x, ModelRate, 0.5, 3000, offline: true);
        var whole = run.Timeline.Whole;
        var expected = Expected(x, ModelRate, 0.5);
        Assert.Equal(expected.Starts, whole.Windows.Select(w => w.Start));
        Assert.DoesNotContain(whole.Windows, w => w.Start >= 700 && w.Start + w.Length <= 2300);
        AssertClose(expected.Explanation, whole.Explanation, 2e-6);
        Assert.All(whole.Explanation.AsSpan(1100, 800).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_stream_ending_in_silence_is_done_at_its_end()
    {
        // Sound, then 1500 samples of silence: every voiced window is explained before the end, and the end-aligned last
        // window is silent (not planned), so nothing is pending when the input ends: the end alone must finish the output.
        var x = Signal(2000, ModelRate, 9);
        Array.Clear(x, 500, 1500);
        var timeline = New(ModelRate, 0.5, null);
        var jobs = new List<WindowJob>();
        timeline.Write(x);
        timeline.TakeJobs(jobs);
        Explain(timeline, jobs);
        long before = timeline.TakeOutput().Explanation.Length;
        timeline.Complete();
        timeline.TakeJobs(jobs);
        Assert.Empty(jobs);
        Assert.True(timeline.IsDone);
        Assert.Equal(x.Length, before + timeline.TakeOutput().Explanation.Length);
    }

    [Theory]
    [InlineData(0, 1000, "the audio holds no samples")]
    [InlineData(1, 48000, "too short to hold one sample at 1000 Hz")]
    [InlineData(500, 1000, "the audio is silent")]
    public void Audio_with_nothing_to_explain_is_refused_by_name(int length, int rate, string expected)
    {
        var timeline = New(rate, 0.5, length, "clip.wav");
        timeline.Write(new float[length]);
        var e = Assert.Throws<ArgumentException>(timeline.Complete);
        Assert.Contains("clip.wav: " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_sample_is_refused_with_its_index_in_the_audio()
    {
        var timeline = New(ModelRate, 0.5, null, "mic");
        timeline.Write(new float[10]);
        var bad = new float[5];
        bad[2] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => timeline.Write(bad));
        Assert.Contains("mic: sample 12 is", e.Message, StringComparison.Ordinal);
        var unnamed = New(ModelRate, 0.5, null);
        Assert.Contains("input: sample 0 is NaN", Assert.Throws<ArgumentException>(() => unnamed.Write([float.NaN])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audio_after_the_end_is_refused_and_a_second_end_changes_nothing()
    {
        var x = Signal(500, ModelRate, 8);
        var timeline = New(ModelRate, 0.5, null);
        var jobs = new List<WindowJob>();
        timeline.Write(x);
        timeline.Complete();
        timeline.Complete();
        timeline.TakeJobs(jobs);
        Assert.Equal(2, jobs.Count);
        var e = Assert.Throws<InvalidOperationException>(() => timeline.Write(x));
        Assert.Contains("the stream has been completed", e.Message, StringComparison.Ordinal);
    }

    // A signal with content across the band (and a negative and a positive peak), different per seed.
    private static float[] Signal(int length, int rate, int seed)
    {
        var noise = TestData.Noise(length, seed, 0.2);
        var tone = TestData.Sine(length, rate, 0.37 * Math.Min(rate, ModelRate) / 2, 0.5, seed);
        return [.. noise.Zip(tone, (a, b) => a + b)];
    }

    // The share window w keeps of itself: distinct per window, so the overlap-add weights show.
    private static float Gain(long start) => (float)(0.2 + 0.6 * ((start * 7919 / 13) % 97) / 97.0);

    private static ClipTimeline New(int inputRate, double overlap, int? wholeLength, string? name = null) =>
        new(inputRate, ModelRate, Clip, overlap, (from, to) => new Resampler(from, to), name, wholeLength);

    // The test's interpreter: explanation = g * row, masked-out = (1 - g) * row, in the row's normalised domain.
    private static List<ExplainedWindow> Explain(ClipTimeline timeline, List<WindowJob> jobs)
    {
        var windows = new List<ExplainedWindow>();
        foreach (var job in jobs)
        {
            var row = new float[Clip];
            timeline.CopyWindow(job, row);
            float g = Gain(job.Start);
            var expl = row.Select(v => g * v).ToArray();
            var outs = row.Select(v => (1 - g) * v).ToArray();
            var window = new ExplainedWindow(job.Start, job.Length, job.Divisor, [0f, 1f], [], [0], null);
            windows.Add(window);
            timeline.Accept(job, expl.AsSpan(0, job.Length), outs.AsSpan(0, job.Length), window);
        }

        jobs.Clear();
        return windows;
    }

    private sealed record RunResult(ClipTimeline Timeline, float[] Explanation, float[] MaskedOut, List<ExplainedWindow> Windows);

    private static RunResult Run(float[] x, int inputRate, double overlap, int chunk, bool offline)
    {
        var timeline = New(inputRate, overlap, offline ? x.Length : null);
        var jobs = new List<WindowJob>();
        var expl = new List<float>();
        var outs = new List<float>();
        var windows = new List<ExplainedWindow>();
        void Drain()
        {
            timeline.TakeJobs(jobs);
            Explain(timeline, jobs);
            var (e, o, start, w) = timeline.TakeOutput();
            if (!offline) Assert.Equal(expl.Count, start);
            expl.AddRange(e);
            outs.AddRange(o);
            windows.AddRange(w);
        }

        for (int at = 0; at < x.Length; at += chunk)
        {
            timeline.Write(x.AsSpan(at, Math.Min(chunk, x.Length - at)));
            Drain();
        }

        timeline.Complete();
        Drain();
        Assert.True(timeline.IsDone);
        if (offline) Assert.Empty(expl);
        return new RunResult(timeline, [.. expl], [.. outs], windows);
    }

    private sealed record Reference(long[] Starts, int[] Lengths, float[] Divisors, double[] ModelExplanation, double[] ModelMaskedOut,
        double[] Explanation, double[] BandLimited);

    // The design's rules, from the input: model-rate audio, windows every clip * (1 - overlap) with the last flush with the
    // end, each divided by its signed maximum (its largest magnitude when that is not positive; skipped when silent),
    // overlap-added with 0.5 - 0.5 cos(2 pi (n + 0.5) / clip) over the summed weights, the level put back.
    private static Reference Expected(float[] x, int inputRate, double overlap)
    {
        var model = inputRate == ModelRate ? x : Resampler.Resample(x, inputRate, ModelRate);
        int m = model.Length;
        var starts = new List<int>();
        if (m <= Clip)
        {
            starts.Add(0);
        }
        else
        {
            int hop = Clip - (int)Math.Round(overlap * Clip);
            for (int s = 0; s + Clip < m; s += hop) starts.Add(s);
            starts.Add(m - Clip);
        }

        var kept = new List<(int Start, int Length, float Divisor)>();
        foreach (int s in starts)
        {
            var w = model.AsSpan(s, Math.Min(Clip, m - s));
            float max = float.MinValue, abs = 0;
            foreach (var v in w)
            {
                max = Math.Max(max, v);
                abs = Math.Max(abs, Math.Abs(v));
            }

            float divisor = max > 1e-6f ? max : abs;
            if (divisor > 1e-6f) kept.Add((s, w.Length, divisor));
        }

        var expl = new double[m];
        var outs = new double[m];
        var weight = new double[m];
        foreach (var (s, len, _) in kept)
        {
            double g = Gain(s);
            for (int k = 0; k < len; k++)
            {
                double wgt = starts.Count == 1 ? 1 : 0.5 - 0.5 * Math.Cos(2 * Math.PI * (k + 0.5) / len);
                expl[s + k] += wgt * g * model[s + k];
                outs[s + k] += wgt * (1 - g) * model[s + k];
                weight[s + k] += wgt;
            }
        }

        for (int n = 0; n < m; n++)
        {
            expl[n] = weight[n] > 0 ? expl[n] / weight[n] : 0;
            outs[n] = weight[n] > 0 ? outs[n] / weight[n] : 0;
        }

        double[] inputExpl, band;
        if (inputRate == ModelRate)
        {
            inputExpl = expl;
            band = [];
        }
        else
        {
            var back = new Resampler(ModelRate, inputRate);
            var e = new float[x.Length];
            back.Process([.. expl.Select(v => (float)v)], e);
            inputExpl = [.. e.Select(v => (double)v)];
            var b = new float[x.Length];
            back.Process(model, b);
            band = [.. b.Select(v => (double)v)];
        }

        return new Reference([.. kept.Select(k => (long)k.Start)], [.. kept.Select(k => k.Length)], [.. kept.Select(k => k.Divisor)],
            expl, outs, inputExpl, band);
    }

    private static void AssertClose(double[] expected, float[] got, double tolerance)
    {
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= tolerance, $"sample {i} of {got.Length}: {got[i]} vs {expected[i]}");
    }
}

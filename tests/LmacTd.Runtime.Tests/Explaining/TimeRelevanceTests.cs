using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

public class TimeRelevanceTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    /// <summary>Silence, a two-tone electronic ring (as the default model's recipe renders one) from 1.5 to 3.0 s, then pink-ish noise.</summary>
    internal static float[] SilenceRingNoise(int rate)
    {
        var x = new float[rate * 5];
        var rng = new Random(7);
        double low = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / rate;
            if (t >= 1.5 && t < 3.0)
            {
                // 425 + 480 Hz, switched at 20 Hz between full and 30 % level: the recipe's electronic ringer.
                double tone = Math.Sin(2 * Math.PI * 425 * t) + Math.Sin(2 * Math.PI * 480 * t);
                double gate = Math.Sin(2 * Math.PI * 20 * t) > 0 ? 1.0 : 0.3;
                x[i] = (float)(0.3 * tone * gate);
            }
            else if (t >= 3.0)
            {
                // One-pole low-passed white noise: a soft background rumble, ~20 dB under the ring.
                low = 0.97 * low + 0.03 * (rng.NextDouble() * 2 - 1);
                x[i] = (float)(0.5 * low);
            }
        }

        return x;
    }

    [Theory]
    [InlineData("lmac-td")]
    [InlineData("lmac-stft")]
    public void Top_segment_of_a_ring_between_silence_and_noise_overlaps_the_ring(string kindName)
    {
        var kind = InterpreterKind.Parse(kindName);
        using var explainer = new Explainer(ModelPackage.Load(TestData.DefaultPackage), TestData.Options(kind, evidence: false));
        var x = SilenceRingNoise(16000);
        var e = explainer.Explain(x, 16000);
        Assert.Equal("telephone_ring", e.Label);
        Assert.NotEmpty(e.Segments);
        var top = e.Segments[0];
        Assert.True(top.StartSeconds < 3.0 && top.EndSeconds > 1.5, $"top segment {top} misses the ring");
        Assert.Equal(e.Segments.OrderByDescending(s => s.MeanScore).ToList(), e.Segments);
        // The leading silence lies under the floor: nothing there to keep.
        var r = e.Relevance;
        Assert.All(r.Values.Take((int)(1.4 / r.HopSeconds)), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(44100)]
    public void Curve_length_and_timing_match_the_input(int rate)
    {
        int samples = (int)(rate * 1.234);
        var x = TestData.Sine(samples, rate, 300, 0.4).Zip(TestData.Noise(samples, rate, 0.1), (a, b) => a + b).ToArray();
        var r = tiny.LmacTd.Explain(x, rate).Relevance;
        Assert.Equal(rate, r.SampleRate);
        Assert.Equal(rate / 100, r.HopSamples);
        Assert.Equal(0.01, r.HopSeconds, 12);
        Assert.Equal((samples + r.HopSamples - 1) / r.HopSamples, r.Values.Count);
        double covered = r.Values.Count * r.HopSeconds, duration = (double)samples / rate;
        Assert.InRange(covered - duration, 0, r.HopSeconds);
        Assert.All(r.Values, v => Assert.InRange(v, 0f, 1f));
        Assert.All(r.Segments, s => Assert.InRange(s.EndSeconds, s.StartSeconds, covered));
    }

    [Fact]
    public void Scores_are_the_kept_share_of_the_input_energy()
    {
        const int rate = 16000;
        var x = TestData.Noise(rate * 2, 3, 0.5);
        // Input silent for the first 0.5 s; the explanation keeps half the amplitude (a quarter of the energy)
        // up to 1 s, all of it up to 1.5 s, and 1.5 times it (an overshoot) after.
        for (int i = 0; i < rate / 2; i++) x[i] = 0;
        var gain = (int i) => i < rate ? 0.5 : i < rate * 3 / 2 ? 1.0 : 1.5;
        var expl = x.Select((v, i) => (float)(v * gain(i))).ToArray();
        var r = TimeRelevance.Compute(x, expl, rate);
        Assert.Equal(200, r.Values.Count);
        for (int k = 0; k < 200; k++)
        {
            double mid = (k + 0.5) * r.HopSeconds;
            if (Math.Abs(mid - 0.5) < 0.02 || Math.Abs(mid - 1.0) < 0.02 || Math.Abs(mid - 1.5) < 0.02) continue;
            double expected = mid < 0.5 ? 0 : Math.Min(1, gain((int)(mid * rate)) * gain((int)(mid * rate)));
            Assert.Equal(expected, r.Values[k], 5);
        }
    }

    [Fact]
    public void Segments_follow_the_gains_of_the_explanation()
    {
        const int rate = 8000;
        var x = TestData.Noise(rate * 2, 5, 0.5);
        // 0.8 of the amplitude (0.64 of the energy) over 0.2-0.6 s with a 40 ms hole at 0.4 s; all of it over
        // 1.0-1.3 s; nothing elsewhere.
        double Gain(double t) => t >= 0.2 && t < 0.6 && !(t >= 0.4 && t < 0.44) ? 0.8 : t >= 1.0 && t < 1.3 ? 1.0 : 0.0;
        var expl = x.Select((v, i) => (float)(v * Gain((double)i / rate))).ToArray();
        var segments = TimeRelevance.Compute(x, expl, rate).Segments;
        Assert.Equal(2, segments.Count);
        Assert.Equal(1.0, segments[0].StartSeconds, 0.011);
        Assert.Equal(1.3, segments[0].EndSeconds, 0.011);
        Assert.Equal(0.2, segments[1].StartSeconds, 0.011);
        Assert.Equal(0.6, segments[1].EndSeconds, 0.011);
        Assert.True(segments[0].MeanScore > segments[1].MeanScore);
        Assert.InRange(segments[1].MeanScore, 0.45, 0.64);
    }

    [Fact]
    public void Segments_bridge_short_gaps_drop_blips_and_come_highest_first()
    {
        var v = new float[100];
        void Fill(int from, int to, float value) => Array.Fill(v, value, from, to - from);
        Fill(10, 20, 0.6f);
        Fill(29, 35, 0.7f);  // 9 hops (90 ms) after the first: bridged into it
        Fill(45, 46, 1.0f);  // one hop, 100 ms from its neighbours: a blip, dropped
        Fill(60, 70, 0.9f);
        Fill(80, 88, 0.6f);
        Fill(100 - 2, 100, 0.5f);  // a gap of exactly 100 ms is not bridged; two hops at the threshold are kept
        var s = TimeRelevance.FindSegments(v, 0.01);
        Assert.Equal(4, s.Length);
        Assert.Equal((0.60, 0.70, 0.9), (s[0].StartSeconds, s[0].EndSeconds, s[0].MeanScore), new SegmentComparer());
        double bridged = (10 * 0.6 + 9 * 0 + 6 * 0.7) / 25;
        var rest = s.Skip(1).OrderBy(x => x.StartSeconds).ToArray();
        Assert.Equal((0.10, 0.35, bridged), (rest[0].StartSeconds, rest[0].EndSeconds, rest[0].MeanScore), new SegmentComparer());
        Assert.Equal((0.80, 0.88, 0.6), (rest[1].StartSeconds, rest[1].EndSeconds, rest[1].MeanScore), new SegmentComparer());
        Assert.Equal((0.98, 1.00, 0.5), (rest[2].StartSeconds, rest[2].EndSeconds, rest[2].MeanScore), new SegmentComparer());
        Assert.Equal(s.OrderByDescending(x => x.MeanScore).ToArray(), s);
    }

    private sealed class SegmentComparer : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) a, (double, double, double) b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9 && Math.Abs(a.Item3 - b.Item3) < 1e-6;

        public int GetHashCode((double, double, double) obj) => 0;
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => TimeRelevance.Compute(new float[10], new float[9], 8000));
        Assert.Contains("9", e.Message);
    }
}

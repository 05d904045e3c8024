using LmacTd.Runtime.Explaining.Pipeline;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The overlap-add sums alone, over stretches longer than its first 4096 slots (the timeline tests, with 400-sample
/// windows, never leave them): released piece by piece, with gaps no window covers, the means must equal those summed
/// here directly over the whole timeline in double.
/// </summary>
public class SlidingAccumulatorTests
{
    [Theory]
    [InlineData(1, 3000, 1)]       // windows of up to 3000 with a release after each: many drops and regrowths
    [InlineData(2, 9000, 4)]       // windows longer than the first 4096 slots, released every fourth window
    [InlineData(3, 500, 50)]       // short windows, released rarely: the held stretch grows past 4096
    public void Means_released_piece_by_piece_equal_the_sums_over_the_whole_timeline(int seed, int maxLength, int releaseEvery)
    {
        var rng = new Random(seed);
        const int total = 40000;
        var expl = new double[total];
        var outs = new double[total];
        var weight = new double[total];
        var got = Enumerable.Repeat(float.NaN, total).ToArray();
        var gotOut = Enumerable.Repeat(float.NaN, total).ToArray();
        var acc = new SlidingAccumulator();
        long released = 0;
        int start = 0, windows = 0;
        while (true)
        {
            int length = rng.Next(1, maxLength + 1);
            if (start + length > total) break;
            float scale = (float)(0.5 + rng.NextDouble());
            var ws = new double[length];
            var es = new float[length];
            var os = new float[length];
            for (int i = 0; i < length; i++)
            {
                double w = ws[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / length);
                float e = es[i] = (float)(rng.NextDouble() - 0.5), o = os[i] = (float)(rng.NextDouble() - 0.5);
                expl[start + i] += w * e * scale;
                outs[start + i] += w * o * scale;
                weight[start + i] += w;
            }

            acc.Add(start, ws, es, os, scale);

            // The next window starts inside this one (overlap) or past its end (a gap no window covers: silence).
            int next = rng.Next(3) == 0 ? start + length + rng.Next(1, 2000) : start + rng.Next(1, length + 1);
            if (++windows % releaseEvery == 0)
            {
                // Release what no later window can touch, sometimes a little short of it.
                long to = Math.Max(released, Math.Min(next, total) - rng.Next(0, 3));
                acc.Release(released, to, got.AsSpan((int)released, (int)(to - released)), gotOut.AsSpan((int)released, (int)(to - released)));
                released = to;
            }

            start = next;
        }

        acc.Release(released, total, got.AsSpan((int)released), gotOut.AsSpan((int)released));
        for (int n = 0; n < total; n++)
        {
            // The same sums in the same order as here: equal to the last bit, not merely close.
            float e = weight[n] > 0 ? (float)(expl[n] / weight[n]) : 0, o = weight[n] > 0 ? (float)(outs[n] / weight[n]) : 0;
            Assert.True(e == got[n] && o == gotOut[n], $"sample {n}: {got[n]}, {gotOut[n]} vs {e}, {o}");
        }
    }

    [Fact]
    public void A_first_window_far_from_the_start_and_a_release_past_all_that_was_written()
    {
        // The first sample lands 10000 slots in (the sums grow to reach it); a release past every written sample gives
        // zeros there, and the next window starts at the released end.
        var acc = new SlidingAccumulator();
        acc.Add(10000, [0.5], [0.4f], [-0.2f], 2f);
        var e = Enumerable.Repeat(float.NaN, 10003).ToArray();
        var o = Enumerable.Repeat(float.NaN, 10003).ToArray();
        acc.Release(0, 10003, e, o);
        Assert.All(e[..10000], v => Assert.Equal(0f, v));
        Assert.All(o[..10000], v => Assert.Equal(0f, v));
        Assert.Equal(0.8f, e[10000], 6);
        Assert.Equal(-0.4f, o[10000], 6);
        Assert.Equal(0f, e[10001]);
        Assert.Equal(0f, o[10002]);

        acc.Release(10003, 20000, new float[9997], new float[9997]);
        acc.Set(20000, [0.5f], [1.5f], 0.5f);
        var e2 = new float[2];
        var o2 = new float[2];
        acc.Release(20000, 20002, e2, o2);
        Assert.Equal([0.25f, 0f], e2);
        Assert.Equal([0.75f, 0f], o2);
    }

    [Fact]
    public void A_window_on_released_output_is_refused()
    {
        var acc = new SlidingAccumulator();
        acc.Add(0, [1.0], [1f], [1f], 1f);
        acc.Release(0, 100, new float[100], new float[100]);
        var e = Assert.Throws<InvalidOperationException>(() => acc.Add(99, [1.0, 1.0], [1f, 1f], [1f, 1f], 1f));
        Assert.Contains("released output", e.Message, StringComparison.Ordinal);
    }
}

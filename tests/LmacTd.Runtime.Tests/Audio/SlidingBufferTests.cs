using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>The timeline buffer of the streaming paths: absolute indices survive growth and trimming.</summary>
public class SlidingBufferTests
{
    [Fact]
    public void Samples_keep_their_absolute_index_through_growth_and_trimming()
    {
        var buffer = new SlidingBuffer();
        var x = TestData.Noise(50_000, 21);
        long trimmed = 0;
        for (int at = 0; at < x.Length; at += 3001)
        {
            int n = Math.Min(3001, x.Length - at);
            if (at % 2 == 0) buffer.Append(x.AsSpan(at, n));
            else
            {
                var run = new PooledSamples();
                x.AsSpan(at, n).CopyTo(run.Extend(n));
                buffer.Append(run);
            }

            Assert.Equal(at + n, buffer.End);

            // Drop all but the last 5000 samples; whatever is still held reads back as written.
            trimmed = Math.Max(trimmed, at + n - 5000);
            buffer.TrimBefore(trimmed);
            Assert.InRange(buffer.Start, 0, trimmed);
            Assert.Equal(buffer.End - buffer.Start, buffer.Held.Length);
            Assert.Equal(x.AsSpan((int)buffer.Start, buffer.Held.Length).ToArray(), buffer.Held.ToArray());
            Assert.Equal(x.AsSpan((int)trimmed, 100).ToArray(), buffer.Slice(trimmed, 100).ToArray());
        }

        Assert.True(buffer.Start > 0, "nothing was ever dropped");
    }

    [Fact]
    public void Trimming_frees_only_when_at_least_half_would_go()
    {
        // Compacting costs a copy of what is kept; doing it only when half goes keeps the copies linear in the length.
        var buffer = new SlidingBuffer();
        var x = TestData.Noise(100, 2);
        buffer.Append(x);
        buffer.TrimBefore(49);
        Assert.Equal(0, buffer.Start);
        Assert.Equal(100, buffer.Held.Length);
        buffer.TrimBefore(50);
        Assert.Equal(50, buffer.Start);
        Assert.Equal(x[50..], buffer.Held.ToArray());
        Assert.Equal(100, buffer.End);
    }

    [Fact]
    public void Trimming_before_the_start_or_past_the_end_is_clamped()
    {
        var buffer = new SlidingBuffer();
        buffer.Append(TestData.Noise(10, 3));
        buffer.TrimBefore(-5);
        Assert.Equal(0, buffer.Start);
        buffer.TrimBefore(1000);
        Assert.Equal(10, buffer.Start);
        Assert.Equal(10, buffer.End);
        Assert.Equal(0, buffer.Held.Length);

        // The next samples continue the timeline where it ended, not where the trim pointed.
        buffer.Append(new[] { 0.5f, 0.25f }.AsSpan());
        Assert.Equal(12, buffer.End);
        Assert.Equal([0.5f, 0.25f], buffer.Slice(10, 2).ToArray());
    }

    [Fact]
    public void One_append_larger_than_twice_the_capacity_is_held_whole()
    {
        var buffer = new SlidingBuffer();
        buffer.Append(TestData.Noise(100, 4));
        var big = TestData.Noise(20_000, 5);
        buffer.Append(big);
        Assert.Equal(20_100, buffer.End);
        Assert.Equal(big, buffer.Slice(100, big.Length).ToArray());
    }
}

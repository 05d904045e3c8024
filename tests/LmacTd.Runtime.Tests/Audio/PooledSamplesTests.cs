using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>The pooled sample run: what is added is what is read back, across growth, clearing and recycling.</summary>
public class PooledSamplesTests
{
    [Fact]
    public void Samples_added_one_by_one_and_by_extension_read_back_in_order_across_growth()
    {
        var run = new PooledSamples();
        var expected = new List<float>();
        var rng = new Random(3);
        for (int round = 0; round < 40; round++)
        {
            if (rng.Next(2) == 0)
            {
                float v = (float)rng.NextDouble();
                run.Add(v);
                expected.Add(v);
            }
            else
            {
                int n = rng.Next(0, 3000);
                var span = run.Extend(n);
                Assert.Equal(n, span.Length);
                for (int i = 0; i < n; i++) expected.Add(span[i] = round * 10000 + i);
            }

            Assert.Equal(expected.Count, run.Count);
        }

        Assert.Equal(expected, run.ToArray());
        Assert.Equal(expected[^1], run[run.Count - 1]);
        Assert.True(expected.Count > 4096); // grown past the first rentals
    }

    [Fact]
    public void Clear_keeps_nothing_and_recycle_leaves_an_empty_run_that_works_again()
    {
        var run = new PooledSamples();
        run.Extend(5000).Fill(1f);
        run.Clear();
        Assert.Equal(0, run.Count);
        run.Add(2f);
        Assert.Equal([2f], run.ToArray());
        run.Recycle();
        Assert.Equal(0, run.Count);
        Assert.Empty(run.ToArray());
        run.Add(3f);
        Assert.Equal([3f], run.ToArray());
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => run.Extend(-1)).ParamName);
        Assert.Throws<OverflowException>(() => run.Extend(int.MaxValue)); // Count + count past int.MaxValue
        Assert.Equal([3f], run.ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => run[1]);
    }
}

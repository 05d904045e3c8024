using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// The streaming resampler against the offline one: fed in chunks of any size, it must hand out the same samples to the
/// bit, as soon as the input they read has arrived and no sooner, holding only the input still to be read.
/// </summary>
public class StreamingResamplerTests
{
    public static TheoryData<int, int, int> Chunked() => new()
    {
        { 44100, 16000, 1 },
        { 44100, 16000, 997 },
        { 16000, 44100, 13 },
        { 8000, 16000, 1 },
        { 48000, 16000, 4096 },
        { 16000, 16000, 7 },
        { 16000, 16001, 101 }, // no table: taps computed per sample
    };

    [Theory]
    [MemberData(nameof(Chunked))]
    public void Chunked_output_equals_the_offline_resampler_bit_for_bit(int from, int to, int chunk)
    {
        var resampler = new Resampler(from, to);
        var x = TestData.Noise(from == 16000 && to == 16001 ? 3001 : 12345, from + chunk, 0.8);
        var offline = resampler.Process(x);

        var stream = new StreamingResampler(resampler);
        var got = new PooledSamples();
        for (int at = 0; at < x.Length; at += chunk)
        {
            stream.Write(x.AsSpan(at, Math.Min(chunk, x.Length - at)));
            stream.Read(got);
            Assert.Equal(got.Count, stream.Produced);
            Assert.Equal(Math.Min(x.Length, at + chunk), stream.Received);
        }

        Assert.False(stream.IsComplete);
        stream.Complete(offline.Length);
        Assert.True(stream.IsComplete);
        stream.Read(got);

        AssertBitEqual(offline, got.ToArray());
    }

    [Theory]
    [InlineData(44100, 16000, 40)]
    [InlineData(16000, 44100, 40)]
    [InlineData(16000, 16000, 40)]
    [InlineData(44100, 16000, -2)]
    public void An_output_longer_or_shorter_than_the_input_ends_as_the_offline_one_does(int from, int to, int extra)
    {
        // The explainer ends its back-resampling at the input's length, which may differ from OutputLength by rounding:
        // past the input the signal is zero, as offline. (Shorter works only while the kernel's reach still holds the
        // last samples back; at the same rate every sample is out as soon as it is written.)
        var resampler = new Resampler(from, to);
        var x = TestData.Noise(5000, 17, 0.8);
        var offline = new float[resampler.OutputLength(x.Length) + extra];
        resampler.Process(x, offline);

        var stream = new StreamingResampler(resampler);
        var got = new PooledSamples();
        stream.Write(x);
        stream.Read(got);
        stream.Complete(offline.Length);
        stream.Read(got);
        stream.Read(got); // nothing more once complete

        AssertBitEqual(offline, got.ToArray());
        if (extra > 0 && from == to) Assert.All(got.ToArray().Skip(x.Length), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(16000, 44100)]
    [InlineData(8000, 16000)]
    public void Each_output_comes_as_soon_as_the_kernel_has_its_input(int from, int to)
    {
        // The kernel spans 24 zero crossings either side at 0.92 of the lower Nyquist: 24 / (0.92 * min(from, to)) s,
        // so output n waits for input up to n * from / to plus that reach and no longer (one sample of rounding).
        var resampler = new Resampler(from, to);
        double reach = 24.0 / (0.92 * Math.Min(from, to)) * from;
        var stream = new StreamingResampler(resampler);
        var got = new PooledSamples();
        var x = TestData.Noise(4000, 5, 0.5);
        for (int k = 1; k <= x.Length; k++)
        {
            stream.Write(x.AsSpan(k - 1, 1));
            stream.Read(got);
            double newestTime = k - 1; // the newest input index
            double lastReady = (newestTime - reach) * to / from;
            Assert.InRange(stream.Produced, Math.Max(0, (long)Math.Floor(lastReady)), Math.Max(0, (long)Math.Floor(lastReady + (double)to / from) + 1));
        }
    }

    [Fact]
    public void At_the_same_rate_every_sample_comes_out_at_once()
    {
        var stream = new StreamingResampler(new Resampler(22050, 22050));
        var got = new PooledSamples();
        var x = TestData.Noise(1000, 3);
        for (int at = 0; at < x.Length; at += 10)
        {
            stream.Write(x.AsSpan(at, 10));
            stream.Read(got);
            Assert.Equal(at + 10, stream.Produced);
        }

        Assert.Equal(x, got.ToArray());
    }

    [Fact]
    public void Streaming_a_long_signal_holds_only_the_input_still_to_be_read()
    {
        // 60 s at 44.1 kHz in 4096-sample chunks: were the consumed input kept, the buffer would reach 10 MB.
        var stream = new StreamingResampler(new Resampler(44100, 16000));
        var chunk = TestData.Noise(4096, 8, 0.5);
        var sink = new PooledSamples();
        Warm(stream, chunk, sink, 64);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Warm(stream, chunk, sink, 44100 * 60 / 4096);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated streaming 60 s");
    }

    [Fact]
    public void Input_after_the_end_and_a_negative_length_are_refused()
    {
        var stream = new StreamingResampler(new Resampler(44100, 16000));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Complete(-1));
        Assert.False(stream.IsComplete);
        stream.Complete(0);
        Assert.Throws<InvalidOperationException>(() => stream.Write([1f]));
        var got = new PooledSamples();
        stream.Read(got);
        Assert.Equal(0, got.Count);
    }

    private static void Warm(StreamingResampler stream, float[] chunk, PooledSamples sink, int times)
    {
        for (int i = 0; i < times; i++)
        {
            stream.Write(chunk);
            sink.Clear();
            stream.Read(sink);
        }
    }

    private static void AssertBitEqual(float[] expected, float[] got)
    {
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(got[i]),
                $"sample {i}: {got[i]} vs {expected[i]}");
        }
    }
}

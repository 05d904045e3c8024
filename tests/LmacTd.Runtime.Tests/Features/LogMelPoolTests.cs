using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Features;

/// <summary>
/// <see cref="LogMelPool"/>: its chunking of rows into tasks at the lengths where the arithmetic matters, the serial
/// path of a single task, cancellation, its guards and how many extractors it keeps (the survivors of the Stryker run
/// in tests/README.md).
/// </summary>
public class LogMelPoolTests
{
    // Hop 16: a signal of 16 (f - 1) samples has f frames.
    private static readonly FrontEndSettings FrontEnd = new(16000, new StftSettings(64, 48, 16, 1e-14), 8, 0, 8000, 5);

    // The default model's front end (5 s at 16 kHz, 431 frames).
    private static readonly FrontEndSettings FullSize = new(16000, new StftSettings(1024, 372, 186, 1e-14), 80, 0, 8000, 431);

    private static LogMelPool NewPool() => new(FrontEnd, MelFilterbank.For(FrontEnd));

    // 1, 51: one task (the serial path); 63, 127: one frame short of a whole chunk, where rounding the chunk count up
    // the wrong way adds or loses a chunk; 64, 65: a whole chunk and one frame more; 129: three chunks, the last of one frame.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(51, 1)]
    [InlineData(63, 2)]
    [InlineData(64, 3)]
    [InlineData(65, 2)]
    [InlineData(127, 2)]
    [InlineData(129, 3)]
    public void Rows_in_parallel_equal_each_row_alone(int frames, int rows)
    {
        int samples = 16 * (frames - 1) + 5, mels = FrontEnd.NMels;
        var signals = new float[rows * samples];
        for (int r = 0; r < rows; r++) TestData.Noise(samples, 60 + r).CopyTo(signals, r * samples);
        var pool = NewPool();
        Assert.Equal(frames, FrontEnd.Stft.FramesFor(samples));
        var output = new float[(rows * frames * mels) + 3];
        Array.Fill(output, float.NaN);
        pool.ProcessRows(signals, samples, rows, output);

        var alone = new float[frames * mels];
        for (int r = 0; r < rows; r++)
        {
            new LogMelExtractor(FrontEnd).Process(signals.AsSpan(r * samples, samples), alone);
            Assert.Equal(alone, output.AsSpan(r * frames * mels, frames * mels).ToArray());
        }

        Assert.All(output[^3..], v => Assert.True(float.IsNaN(v))); // nothing written past the rows
    }

    [Fact]
    public void A_cancelled_token_stops_a_parallel_call()
    {
        int samples = 16 * 400, rows = 4;
        var output = new float[rows * FrontEnd.Stft.FramesFor(samples) * FrontEnd.NMels];
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NewPool().ProcessRows(new float[rows * samples], samples, rows, output, cancelled.Token));
    }

    [Fact]
    public void Arguments_are_checked_with_the_size_they_need()
    {
        Assert.Throws<ArgumentNullException>(() => new LogMelPool(null!, MelFilterbank.For(FrontEnd)));
        Assert.Throws<ArgumentNullException>(() => new LogMelPool(FrontEnd, null!));
        // Above the Nyquist frequency: only the front end's own validation refuses it.
        Assert.Throws<ArgumentException>(() => new LogMelPool(FrontEnd with { FMax = 9000 }, MelFilterbank.For(FrontEnd)));

        var pool = NewPool();
        Assert.Throws<ArgumentNullException>(() => pool.Return(null!));
        int samples = 16 * 99, item = 100 * FrontEnd.NMels;
        Assert.Throws<ArgumentNullException>(() => pool.ProcessRows(null!, samples, 1, new float[item]));
        Assert.Throws<ArgumentNullException>(() => pool.ProcessRows(new float[samples], samples, 1, null!));
        var signals = Assert.Throws<ArgumentException>(() => pool.ProcessRows(new float[(2 * samples) - 1], samples, 2, new float[2 * item]));
        Assert.Equal("signals", signals.ParamName);
        Assert.Contains($"need {2 * samples} samples", signals.Message);
        var output = Assert.Throws<ArgumentException>(() => pool.ProcessRows(new float[2 * samples], samples, 2, new float[(2 * item) - 1]));
        Assert.Equal("output", output.ParamName);
        Assert.Contains($"need room for {2 * item} values", output.Message);
    }

    [Fact]
    public void The_pool_keeps_two_extractors_a_core_and_drops_the_rest()
    {
        var pool = NewPool();
        int keep = Math.Max(2, 2 * Environment.ProcessorCount), given = keep + 3;
        var rented = Enumerable.Range(0, given).Select(_ => pool.Rent()).ToArray();
        Assert.Equal(given, rented.Distinct().Count());
        foreach (var e in rented) pool.Return(e);

        var again = Enumerable.Range(0, given).Select(_ => pool.Rent()).ToArray();
        Assert.Equal(keep, again.Count(e => rented.Contains(e)));
    }

    [Fact]
    public void Pooled_parallel_rows_equal_each_row_alone()
    {
        const int rows = 3;
        var signals = new float[rows * 80000];
        for (int r = 0; r < rows; r++) TestData.Noise(80000, 40 + r).CopyTo(signals, r * 80000);
        var pool = new LogMelPool(FullSize, MelFilterbank.For(FullSize));
        var output = new float[rows * 431 * 80];
        pool.ProcessRows(signals, 80000, rows, output);
        var alone = new float[431 * 80];
        for (int r = 0; r < rows; r++)
        {
            new LogMelExtractor(FullSize).Process(signals.AsSpan(r * 80000, 80000), alone);
            Assert.Equal(alone, output.AsSpan(r * 431 * 80, 431 * 80).ToArray());
        }
    }

    [Fact]
    public void The_pool_hands_back_what_it_was_given_and_refuses_short_buffers()
    {
        var pool = new LogMelPool(FullSize, MelFilterbank.For(FullSize));
        var e = pool.Rent();
        pool.Return(e);
        Assert.Same(e, pool.Rent());
        Assert.Throws<ArgumentException>(() => pool.ProcessRows(new float[80000], 80000, 2, new float[2 * 431 * 80]));
        Assert.Throws<ArgumentException>(() => pool.ProcessRows(new float[80000], 80000, 1, new float[431 * 80 - 1]));
    }
}

using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Explaining.Pipeline;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The sums a streamed summary takes piece by piece (hop energies, above-band shares) against the same quantities
/// computed here over the whole signal from their definitions.
/// </summary>
public class StreamingSummaryTests
{
    [Theory]
    [InlineData(160, 1, 1601)]
    [InlineData(160, 333, 16000)]
    [InlineData(441, 4096, 44100 + 17)]
    [InlineData(1, 7, 50)]
    [InlineData(3, 5, 2)]
    public void Hop_energies_are_the_sums_of_squares_over_each_hops_window(int hop, int chunk, int length)
    {
        // Hop k covers [k hop - hop/2, (k + 1) hop + hop/2), clipped to the signal; ceil(length / hop) hops in all.
        var x = TestData.Noise(length, hop + length, 0.7);
        var energies = new HopEnergies(hop);
        for (int at = 0; at < length; at += chunk) energies.Write(x.AsSpan(at, Math.Min(chunk, length - at)));
        energies.Complete(length);

        int count = (length + hop - 1) / hop;
        Assert.Equal(count, energies.Sums.Count);
        Assert.Equal(count, energies.Lengths.Count);
        for (int k = 0; k < count; k++)
        {
            int from = Math.Max(0, k * hop - hop / 2), to = Math.Min(length, (k + 1) * hop + hop / 2);
            double s = 0;
            for (int i = from; i < to; i++) s += (double)x[i] * x[i];
            Assert.Equal(to - from, energies.Lengths[k]);
            Assert.Equal(s, energies.Sums[k]);
        }
    }

    [Fact]
    public void Hop_energies_finish_a_hop_only_once_its_window_is_in()
    {
        var energies = new HopEnergies(100);
        energies.Write(new float[149]);
        Assert.Empty(energies.Sums);
        energies.Write(new float[1]);
        Assert.Single(energies.Sums);
        energies.Write(new float[99]);
        Assert.Single(energies.Sums);
        energies.Write(new float[1]);
        Assert.Equal(2, energies.Sums.Count);
    }

    [Theory]
    [InlineData(2205, 1)]
    [InlineData(2205, 999)]
    [InlineData(4410, 4096)]
    [InlineData(1000, 50)]
    public void Above_band_shares_equal_those_of_the_whole_signal(int inputRate, int chunk)
    {
        // Model at 1 kHz, windows of 400 samples: the share of each window's input energy, and of the whole input's,
        // that the round trip to the model's rate and back does not keep.
        const int modelRate = 1000, clip = 400;
        int length = inputRate * 3 + 7;
        var x = Mixture(length, inputRate);
        var meter = new AboveBandMeter(inputRate, modelRate, clip);
        double ratio = (double)inputRate / modelRate;
        var windows = new List<ExplainedWindow>();
        long nextWindow = 0;
        for (int at = 0; at < length; at += chunk)
        {
            meter.Write(x.AsSpan(at, Math.Min(chunk, length - at)));
            Assert.Equal(Math.Min(length, at + chunk), meter.InputSamples);

            // Windows come back once their audio is in, as from a stream.
            var ready = new List<ExplainedWindow>();
            while ((nextWindow + clip) * ratio <= meter.InputSamples)
            {
                ready.Add(Window(nextWindow, clip));
                nextWindow += 200;
            }

            meter.Add(ready);
            windows.AddRange(ready);
        }

        var last = Window((long)(length / ratio) - 123, 123);
        meter.Add([last]);
        windows.Add(last);
        meter.Complete();

        // The round trip, ending at the input's length (the signal is zero past its end).
        var full = x;
        if (inputRate != modelRate)
        {
            full = new float[length];
            new Resampler(modelRate, inputRate).Process(Resampler.Resample(x, inputRate, modelRate), full);
        }

        Assert.Equal(Share(x, i => full[i], 0, length), meter.Share, 12);
        if (inputRate != modelRate) Assert.InRange(meter.Share, 0.05, 0.95);
        foreach (var w in windows)
        {
            int from = (int)(w.Start * ratio), to = (int)Math.Min(length, (w.Start + w.Length) * ratio);
            Assert.NotNull(w.AboveBandShare);
            Assert.Equal(Share(x, i => full[i], from, to), w.AboveBandShare!.Value, 12);
        }
    }

    [Fact]
    public void A_silent_input_has_no_share_above_the_band()
    {
        var meter = new AboveBandMeter(2205, 1000, 400);
        var w = Window(0, 400);
        meter.Add([w]);
        meter.Write(new float[5000]);
        meter.Complete();
        Assert.Equal(0, meter.Share);
        Assert.Equal(0, w.AboveBandShare);
    }

    [Fact]
    public void A_window_handed_in_after_its_audio_was_dropped_gets_no_share_rather_than_a_wrong_one()
    {
        // The meter keeps three clips and a second of input (here 3 x 400 x 2.205 + 2205 samples): a window older than
        // that can no longer be summed.
        var meter = new AboveBandMeter(2205, 1000, 400);
        meter.Write(Mixture(8000, 2205));
        var old = Window(0, 400);
        var recent = Window(2000, 400);
        meter.Add([old, recent]);
        meter.Complete();
        Assert.Null(old.AboveBandShare);
        Assert.NotNull(recent.AboveBandShare);
        Assert.InRange(recent.AboveBandShare!.Value, 0.05, 0.95);
    }

    private static ExplainedWindow Window(long start, int length) => new(start, length, 1f, [0f, 1f], [], [0], null);

    // In band (0.2 of the model's Nyquist) and, where the input rate holds it, above it (1.6 times the model's Nyquist).
    private static float[] Mixture(int length, int rate)
    {
        var x = TestData.Sine(length, rate, 100, 0.4);
        if (rate >= 2000)
        {
            var high = TestData.Sine(length, rate, 800, 0.3);
            for (int i = 0; i < length; i++) x[i] += high[i];
        }

        var noise = TestData.Noise(length, rate, 0.05);
        for (int i = 0; i < length; i++) x[i] += noise[i];
        return x;
    }

    /// <summary>The share of <paramref name="x"/>'s energy over [from, to) not in <paramref name="band"/> (its band-limited version), computed here, not by the meter or the assembly.</summary>
    internal static double Share(float[] x, Func<int, double> band, int from, int to)
    {
        double total = 0, above = 0;
        for (int i = from; i < to; i++)
        {
            double d = x[i] - band(i);
            above += d * d;
            total += (double)x[i] * x[i];
        }

        return total > 0 ? Math.Min(1, above / total) : 0;
    }
}

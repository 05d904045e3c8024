using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

public class ResamplerTests
{
    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(48000, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(96000, 16000)]
    [InlineData(16000, 44100)]
    [InlineData(22050, 16000)]
    public void A_tone_in_the_passband_comes_through_unchanged(int from, int to)
    {
        const double hz = 1000, seconds = 0.5;
        var x = TestData.Sine((int)(from * seconds), from, hz);
        var y = Resampler.Resample(x, from, to);
        Assert.Equal((int)Math.Round(x.Length * (double)to / from), y.Length);
        var expected = TestData.Sine(y.Length, to, hz);
        // Away from the edges, where the signal starts and stops abruptly.
        int margin = to / 20;
        var err = TestData.MaxAbsDiff(expected.AsSpan(margin, y.Length - 2 * margin), y.AsSpan(margin, y.Length - 2 * margin));
        Assert.True(err < 2e-3f, $"error {err}");
    }

    [Theory]
    [InlineData(44100, 12000)]
    [InlineData(48000, 9000)]
    [InlineData(96000, 30000)]
    public void A_tone_above_the_new_nyquist_is_removed_rather_than_folded(int from, double hz)
    {
        var x = TestData.Sine(from / 2, from, hz);
        var y = Resampler.Resample(x, from, 16000);
        int margin = 800;
        float peak = TestData.MaxAbs(y.AsSpan(margin, y.Length - 2 * margin));
        Assert.True(peak < 1e-3f, $"alias peak {peak}");
    }

    [Fact]
    public void Constant_stays_constant()
    {
        var x = Enumerable.Repeat(0.25f, 44100).ToArray();
        var y = Resampler.Resample(x, 44100, 16000);
        Assert.True(TestData.MaxAbsDiff(y.AsSpan(1000, 14000), Enumerable.Repeat(0.25f, 14000).ToArray()) < 1e-5f);
    }

    [Fact]
    public void Same_rate_is_a_copy()
    {
        var x = TestData.Noise(1000, 4);
        Assert.Equal(x, Resampler.Resample(x, 16000, 16000));
    }

    [Fact]
    public void Coprime_rates_without_a_table_still_work()
    {
        // 16001 / 16000 would need 16001 phases: the resampler computes its taps per sample instead.
        var x = TestData.Sine(8000, 16000, 500);
        var y = Resampler.Resample(x, 16000, 16001);
        var expected = TestData.Sine(y.Length, 16001, 500);
        Assert.True(TestData.MaxAbsDiff(expected.AsSpan(1000, 6000), y.AsSpan(1000, 6000)) < 2e-3f);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(48000, 16000)]
    [InlineData(96000, 16000)]
    [InlineData(22050, 16000)]
    [InlineData(16000, 8000)]
    [InlineData(16000, 44100)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 16001)]
    public void The_passband_is_flat_to_0_8_and_the_stopband_quiet_from_1_05_of_the_lower_nyquist(int from, int to)
    {
        // Tones at 0.05, 0.4 and 0.8 of the lower Nyquist must come through, tones at 1.05 and 1.3 of it (where the input
        // holds them) must go. Measured on the development machine (AMD EPYC, family 26, .NET 10): passband error at most
        // 2.1e-5 per 0.5-amplitude tone, stopband leak at most 2.2e-5; the tolerance, 3e-4 on the sum, is about 10x their sum.
        double nyquist = Math.Min(from, to) / 2.0;
        int n = to == 16001 ? 6000 : from;
        double[] pass = [0.05, 0.4, 0.8], stop = [1.05, 1.3];
        var x = new float[n];
        foreach (var f in pass.Concat(stop.Where(f => f * nyquist < from / 2.0)))
        {
            var tone = TestData.Sine(n, from, f * nyquist, 0.2, f);
            for (int i = 0; i < n; i++) x[i] += tone[i];
        }

        var y = Resampler.Resample(x, from, to);
        int margin = to / 100 + 200;
        double worst = 0;
        for (int i = margin; i < y.Length - margin; i++)
        {
            double expected = pass.Sum(f => 0.2 * Math.Sin(2 * Math.PI * f * nyquist * i / to + f));
            worst = Math.Max(worst, Math.Abs(y[i] - expected));
        }

        Assert.True(worst < 3e-4, $"largest error {worst:E2}");
    }

    [Theory]
    [InlineData(44100, 16000, 11, 4)]   // 3.99 rounds up
    [InlineData(44100, 16000, 12, 4)]   // 4.35 rounds down
    [InlineData(16000, 44100, 1, 3)]    // 2.76
    [InlineData(48000, 16000, 1, 0)]    // a third of a sample
    [InlineData(48000, 16000, 0, 0)]
    public void The_output_lasts_as_long_as_the_input_to_the_nearest_sample(int from, int to, int input, int expected)
    {
        var resampler = new Resampler(from, to);
        Assert.Equal(expected, resampler.OutputLength(input));
        Assert.Equal(expected, resampler.Process(new float[input]).Length);
        Assert.Equal(from, resampler.InputRate);
        Assert.Equal(to, resampler.OutputRate);
    }

    [Fact]
    public void At_the_same_rate_a_longer_output_is_zero_past_the_input_and_a_shorter_one_its_start()
    {
        var resampler = new Resampler(16000, 16000);
        var x = TestData.Noise(100, 9);
        var longer = Enumerable.Repeat(float.NaN, 120).ToArray();
        resampler.Process(x, longer);
        Assert.Equal(x, longer[..100]);
        Assert.All(longer[100..], v => Assert.Equal(0f, v));
        var shorter = new float[60];
        resampler.Process(x, shorter);
        Assert.Equal(x[..60], shorter);
    }

    [Fact]
    public void Past_the_input_the_signal_is_zero_so_the_output_dies_away_within_the_kernel()
    {
        // A constant 1 for 1000 samples at 44.1 kHz, output asked for twice as long: after the kernel's reach past the
        // end (24 zero crossings at 0.92 of 8 kHz: 72 input samples, 27 output samples) the output is exactly 0.
        var resampler = new Resampler(44100, 16000);
        var x = Enumerable.Repeat(1f, 1000).ToArray();
        var y = new float[2 * resampler.OutputLength(x.Length)];
        resampler.Process(x, y);
        int end = resampler.OutputLength(x.Length);
        Assert.All(y[(end + 28)..], v => Assert.Equal(0f, v));
        Assert.Equal(1f, y[end / 2], 5);
        Assert.InRange(y[end - 28], 0.999f, 1.001f); // before the end, the kernel's reach away from it: the constant
        Assert.InRange(y[end], 0.01f, 0.99f);        // at the end, the step's slope
    }

    [Theory]
    [InlineData(0, 16000)]
    [InlineData(16000, 0)]
    public void Rates_below_1_Hz_are_refused(int from, int to) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(from, to));
}

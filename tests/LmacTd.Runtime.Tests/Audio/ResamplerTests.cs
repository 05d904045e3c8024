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
}

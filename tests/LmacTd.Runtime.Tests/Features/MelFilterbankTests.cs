using LmacTd.Runtime.Features;

namespace LmacTd.Runtime.Tests.Features;

public class MelFilterbankTests
{
    private static readonly MelFilterbank Bank = new(80, 1024, 16000, 0, 8000);

    private static double HzToMel(double hz) => 2595 * Math.Log10(1 + hz / 700);

    private static double MelToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    [Fact]
    public void Has_one_filter_per_mel_over_all_bins()
    {
        Assert.Equal(80, Bank.MelCount);
        Assert.Equal(513, Bank.Bins);
    }

    [Fact]
    public void Every_weight_is_between_zero_and_one_and_every_filter_has_support()
    {
        for (int m = 0; m < Bank.MelCount; m++)
        {
            double sum = 0;
            for (int k = 0; k < Bank.Bins; k++)
            {
                Assert.InRange(Bank[m, k], 0f, 1f);
                sum += Bank[m, k];
            }

            Assert.True(sum > 0, $"filter {m} is empty");
        }
    }

    // fMin 300 Hz as well: with fMin = 0 the lower mel edge is 0, and a bank that added it instead of subtracting it
    // (a Stryker survivor, tests/README.md) gave the same weights.
    [Theory]
    [InlineData(0.0, 8000.0)]
    [InlineData(300.0, 6000.0)]
    public void Weights_follow_the_htk_triangle_formula(double fMin, double fMax)
    {
        var bank = new MelFilterbank(80, 1024, 16000, fMin, fMax);
        double lo = HzToMel(fMin), hi = HzToMel(fMax);
        for (int m = 0; m < 80; m += 7)
        {
            double left = MelToHz(lo + (hi - lo) * m / 81), centre = MelToHz(lo + (hi - lo) * (m + 1) / 81);
            for (int k = 0; k < 513; k++)
            {
                double f = k * 8000.0 / 512;
                double expected = Math.Max(0, 1 - Math.Abs(f - centre) / (centre - left));
                Assert.Equal(expected, bank[m, k], 5);
            }
        }
    }

    [Fact]
    public void Peaks_rise_with_the_filter_index_and_no_weight_exceeds_one()
    {
        int previousPeak = -1;
        for (int m = 0; m < 80; m++)
        {
            int peak = 0;
            for (int k = 1; k < 513; k++)
            {
                if (Bank[m, k] > Bank[m, peak]) peak = k;
            }

            Assert.True(peak >= previousPeak, $"filter {m} peaks at bin {peak}, before filter {m - 1} ({previousPeak})");
            previousPeak = peak;
        }
    }

    [Fact]
    public void Outer_filters_vanish_at_fmin_and_fmax()
    {
        // Point 0 is fMin (bin 0) and point 81 is fMax (bin 512): the triangles reach zero exactly there.
        Assert.Equal(0f, Bank[0, 0]);
        Assert.Equal(0f, Bank[79, 512]);
        Assert.True(Bank[0, 1] > 0);
        Assert.True(Bank[79, 511] > 0);
    }

    [Fact]
    public void Apply_is_the_matrix_product()
    {
        var mag = TestData.Noise(513, 3, 1.0).Select(Math.Abs).ToArray();
        var mel = new float[80];
        Bank.Apply(mag, mel);
        for (int m = 0; m < 80; m++)
        {
            double expected = 0;
            for (int k = 0; k < 513; k++) expected += Bank[m, k] * mag[k];
            Assert.Equal(expected, mel[m], 4);
        }
    }

    [Fact]
    public void Rejects_an_empty_frequency_range() =>
        Assert.Throws<ArgumentException>(() => new MelFilterbank(10, 512, 16000, 4000, 4000));
}

using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Features;

public class StftTests
{
    private static readonly StftSettings Settings = new(1024, 372, 186, 1e-14);

    [Fact]
    public void Window_is_periodic_hamming_centred_in_the_frame()
    {
        var w = Windows.HammingPeriodic(372, 1024);
        int offset = (1024 - 372) / 2;
        Assert.Equal(0f, w[offset - 1]);
        Assert.Equal(0.08f, w[offset], 6);
        Assert.Equal(1f, w[offset + 186], 6);
        Assert.Equal(0f, w[offset + 372]);
        // Periodic, not symmetric: the last sample equals the one after the start, not the start.
        Assert.Equal(w[offset + 1], w[offset + 371], 6);
    }

    [Fact]
    public void Frame_count_follows_the_contract() => Assert.Equal(431, Settings.FramesFor(80000));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(430)]
    public void Frames_match_a_direct_dft_of_the_centred_padded_signal(int frame)
    {
        var x = TestData.Noise(80000, 11);
        var stft = new Stft(Settings);
        var re = new float[513];
        var im = new float[513];
        stft.ProcessFrame(x, frame, re, im);
        var w = Windows.HammingPeriodic(372, 1024);
        for (int k = 0; k < 513; k += 37)
        {
            double r = 0, i = 0;
            for (int j = 0; j < 1024; j++)
            {
                long n = (long)frame * 186 + j - 512;
                double v = n >= 0 && n < x.Length ? x[n] * w[j] : 0;
                r += v * Math.Cos(2 * Math.PI * k * j / 1024);
                i -= v * Math.Sin(2 * Math.PI * k * j / 1024);
            }

            Assert.Equal(r, re[k], 3);
            Assert.Equal(i, im[k], 3);
        }
    }

    [Fact]
    public void Inverse_stft_rebuilds_the_signal()
    {
        var x = TestData.Noise(80000, 5, 0.8);
        var stft = new Stft(Settings);
        int frames = stft.FrameCount(x.Length);
        var re = new float[frames * 513];
        var im = new float[frames * 513];
        stft.Process(x, re, im);
        var y = new float[x.Length];
        new InverseStft(Settings).Process(re, im, frames, y);
        Assert.True(TestData.MaxAbsDiff(x, y) < 1e-5f, $"round trip error {TestData.MaxAbsDiff(x, y)}");
    }

    [Fact]
    public void A_sine_peaks_in_its_bin()
    {
        var x = TestData.Sine(16000, 16000, 1000);
        var mag = new float[513];
        new Stft(Settings).ProcessFrameMagnitude(x, 40, mag);
        int peak = Array.IndexOf(mag, mag.Max());
        Assert.Equal(64, peak);
    }
}

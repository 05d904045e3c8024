using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Features;

/// <summary>
/// The inverse STFT at its edges: one instance run again (L-MAC's reconstruction runs two per clip), an output longer
/// than the frames cover, and the zero-padded ends of a window shorter than the FFT, where the window envelope is 0.
/// Each was a Stryker survivor (tests/README.md).
/// </summary>
public class InverseStftEdgeTests
{
    // Window 48 in a 64-point frame: 8 zeros each side.
    private static readonly StftSettings Settings = new(64, 48, 16, 1e-14);

    private static (float[] Re, float[] Im, int Frames) Spectrum(float[] x)
    {
        var stft = new Stft(Settings);
        int frames = stft.FrameCount(x.Length), n = frames * Settings.Bins;
        var re = new float[n];
        var im = new float[n];
        stft.Process(x, re, im);
        return (re, im, frames);
    }

    [Fact]
    public void A_second_run_of_one_instance_gives_the_first_runs_numbers()
    {
        var x = TestData.Noise(500, 71);
        var (re, im, frames) = Spectrum(x);
        var inverse = new InverseStft(Settings);
        var first = new float[x.Length];
        inverse.Process(re, im, frames, first);
        var second = new float[x.Length];
        inverse.Process(re, im, frames, second);
        Assert.Equal(first, second);
        Assert.True(TestData.MaxAbsDiff(x, first) < 1e-5, "the signal is rebuilt");
    }

    [Fact]
    public void Past_the_frames_the_output_is_zero_not_a_division_by_an_empty_envelope()
    {
        // 500 samples: 32 frames covering 64 + 31 * 16 = 560 padded samples, the signal's 500 from padded sample 32.
        // The last 8 of the 560 are the last frame's zero padding (envelope 0); past 560 no frame reaches.
        var x = TestData.Noise(500, 72);
        var (re, im, frames) = Spectrum(x);
        int total = 64 + (16 * (frames - 1));
        var output = new float[total];
        new InverseStft(Settings).Process(re, im, frames, output);
        Assert.True(TestData.MaxAbsDiff(x, output.AsSpan(0, x.Length)) < 1e-5, "the signal is rebuilt");
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Assert.All(output[(total - 32 - 8)..], v => Assert.Equal(0f, v)); // the padding and what lies past the frames
    }

    [Fact]
    public void The_double_window_is_the_float_window_with_zeros_around_it()
    {
        var w = Windows.HammingPeriodicDouble(5, 9);
        var expected = new double[9];
        for (int n = 0; n < 5; n++) expected[2 + n] = 0.54 - (0.46 * Math.Cos(2 * Math.PI * n / 5));
        Assert.Equal(expected, w);
        Assert.Equal(expected.Select(v => (float)v), Windows.HammingPeriodic(5, 9));
        Assert.Equal(5, Windows.HammingPeriodicDouble(5, 5).Length);
    }
}

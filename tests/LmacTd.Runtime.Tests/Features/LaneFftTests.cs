using LmacTd.Runtime.Features;
using NWaves.Transforms;

namespace LmacTd.Runtime.Tests.Features;

public class LaneFftTests
{
    private static double[] Frame(int size, int seed)
    {
        var rng = new Random(seed);
        var x = new double[size];
        for (int i = 0; i < size; i++) x[i] = (rng.NextDouble() * 2) - 1;
        return x;
    }

    // The complex spectrum of one lane, read through a float [re, im] pair and kept in double for the comparison.
    private static (float[] Re, float[] Im) Spectrum(LaneFft fft, int lane)
    {
        var re = new float[fft.Bins];
        var im = new float[fft.Bins];
        fft.Spectrum(lane, re, im);
        return (re, im);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(1024)]
    public void Every_lane_matches_a_scalar_real_fft(int size)
    {
        var fft = new LaneFft(size);
        var frames = Enumerable.Range(0, LaneFft.Lanes).Select(l => Frame(size, 100 + l)).ToArray();
        fft.Clear();
        for (int l = 0; l < LaneFft.Lanes; l++) fft.Load(l, 0, frames[l]);
        fft.Transform();
        var reference = new RealFft64(size);
        for (int l = 0; l < LaneFft.Lanes; l++)
        {
            var re = new double[size / 2 + 1];
            var im = new double[size / 2 + 1];
            reference.Direct(frames[l], re, im);
            var (r, i) = Spectrum(fft, l);
            double peak = re.Concat(im).Max(Math.Abs);
            for (int k = 0; k <= size / 2; k++)
            {
                // The float read-out rounds to 6e-8 of each value; the transforms themselves agree to about 1e-15.
                Assert.True(Math.Abs(r[k] - re[k]) <= 1e-6 * peak, $"size {size}, lane {l}, bin {k}: re {r[k]} vs {re[k]}");
                Assert.True(Math.Abs(i[k] - im[k]) <= 1e-6 * peak, $"size {size}, lane {l}, bin {k}: im {i[k]} vs {im[k]}");
            }
        }
    }

    [Fact]
    public void A_frame_gives_the_same_bits_in_any_lane_whatever_its_neighbours()
    {
        const int size = 1024;
        var frame = Frame(size, 7);
        var fft = new LaneFft(size);
        fft.Clear();
        fft.Load(0, 0, frame);
        fft.Transform();
        var (r0, i0) = Spectrum(fft, 0);
        var m0 = new float[fft.Bins];
        fft.Clear();
        fft.Load(0, 0, frame);
        fft.Transform();
        fft.Magnitudes(1, 1e-14, m0);
        for (int lane = 1; lane < LaneFft.Lanes; lane++)
        {
            fft.Clear();
            for (int other = 0; other < LaneFft.Lanes; other++) fft.Load(other, 0, other == lane ? frame : Frame(size, 50 + other));
            fft.Transform();
            var (r, i) = Spectrum(fft, lane);
            Assert.Equal(r0, r);
            Assert.Equal(i0, i);
            var m = new float[LaneFft.Lanes * fft.Bins];
            fft.Magnitudes(LaneFft.Lanes, 1e-14, m);
            Assert.Equal(m0, m.AsSpan(lane * fft.Bins, fft.Bins).ToArray());
        }
    }

    [Fact]
    public void Loading_at_an_offset_equals_loading_the_zero_padded_frame()
    {
        const int size = 64;
        var samples = Frame(23, 9);
        var padded = new double[size];
        samples.CopyTo(padded, 21);
        var fft = new LaneFft(size);
        fft.Clear();
        fft.Load(0, 21, samples);
        fft.Transform();
        var (r, i) = Spectrum(fft, 0);
        fft.Clear();
        fft.Load(0, 0, padded);
        fft.Transform();
        var (pr, pi) = Spectrum(fft, 0);
        Assert.Equal(pr, r);
        Assert.Equal(pi, i);
    }

    [Fact]
    public void Magnitudes_are_the_eps_magnitude_of_the_spectrum()
    {
        const int size = 512;
        var fft = new LaneFft(size);
        fft.Clear();
        fft.Load(0, 0, Frame(size, 3));
        fft.Transform();
        var (r, i) = Spectrum(fft, 0);
        var m = new float[fft.Bins];
        fft.Magnitudes(1, 0.25, m);
        for (int k = 0; k < fft.Bins; k++) Assert.Equal(Math.Sqrt((r[k] * (double)r[k]) + (i[k] * (double)i[k]) + 0.25), m[k], 4);
        // Bins 0 and size/2 of a real signal are real.
        Assert.Equal(0f, i[0]);
        Assert.Equal(0f, i[size / 2]);
    }

    [Fact]
    public void Bad_sizes_lanes_and_offsets_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new LaneFft(2));
        Assert.Throws<ArgumentException>(() => new LaneFft(12));
        var fft = new LaneFft(16);
        Assert.Throws<ArgumentOutOfRangeException>(() => fft.Load(LaneFft.Lanes, 0, new double[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => fft.Load(0, 14, new double[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => fft.Magnitudes(LaneFft.Lanes + 1, 0, new float[100]));
        Assert.Throws<ArgumentException>(() => fft.Magnitudes(1, 0, new float[fft.Bins - 1]));
        Assert.Throws<ArgumentException>(() => fft.Spectrum(0, new float[fft.Bins], new float[fft.Bins - 1]));
    }
}

using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Explaining;

namespace LmacTd.Runtime.Tests.Explaining;

public class WindowingTests
{
    [Theory]
    [InlineData(100, 80000, 0.5)]
    [InlineData(80000, 80000, 0.5)]
    [InlineData(80001, 80000, 0.5)]
    [InlineData(500000, 80000, 0.5)]
    [InlineData(500000, 80000, 0.0)]
    [InlineData(500000, 80000, 0.9)]
    public void Windows_cover_the_audio_in_order_and_fit_inside_it(int length, int clip, double overlap)
    {
        var plan = WindowPlanner.Plan(length, clip, overlap);
        Assert.Equal(0, plan[0].Start);
        Assert.Equal(length, plan[^1].Start + plan[^1].Length);
        for (int i = 1; i < plan.Length; i++)
        {
            Assert.True(plan[i].Start > plan[i - 1].Start);
            Assert.True(plan[i].Start <= plan[i - 1].Start + plan[i - 1].Length, "gap between windows");
        }

        Assert.All(plan, w => Assert.True(w.Length == Math.Min(length, clip)));
    }

    [Fact]
    public void Overlap_add_weights_are_positive_and_symmetric()
    {
        for (int n = 0; n < 100; n++)
        {
            Assert.True(WindowPlanner.Weight(n, 100) > 0);
            Assert.Equal(WindowPlanner.Weight(n, 100), WindowPlanner.Weight(99 - n, 100), 12);
        }
    }

    [Fact]
    public void Lmac_stft_with_a_full_mask_gives_back_the_input_and_silence()
    {
        var spec = Runtime.Packages.ModelPackage.Load(TestData.TinyPackage).Manifest.Interpreter<LmacStftSpec>()!;
        var full = spec with { MaskFrames = spec.Stft.FramesFor(80000) };
        var recon = new LmacTd.Runtime.Interpreters.LmacStftReconstruction(full, 80000);
        var x = TestData.Noise(80000, 12, 0.9);
        var mask = Enumerable.Repeat(1f, full.MaskFrames * full.MaskBins).ToArray();
        var expl = new float[80000];
        var rest = new float[80000];
        recon.Process(x, mask, expl, rest, Span<float>.Empty, Span<float>.Empty);
        Assert.True(TestData.MaxAbsDiff(x, expl) < 1e-4f, $"explanation differs by {TestData.MaxAbsDiff(x, expl)}");
        Assert.True(TestData.MaxAbs(rest) < 1e-6f);
    }

    [Fact]
    public void Lmac_stft_masks_out_the_frames_past_the_mask()
    {
        var spec = Runtime.Packages.ModelPackage.Load(TestData.TinyPackage).Manifest.Interpreter<LmacStftSpec>()!;
        var recon = new LmacTd.Runtime.Interpreters.LmacStftReconstruction(spec, 80000);
        var x = TestData.Noise(80000, 13, 0.9);
        var ones = Enumerable.Repeat(1f, spec.MaskFrames * spec.MaskBins).ToArray();
        var expl = new float[80000];
        var rest = new float[80000];
        recon.Process(x, ones, expl, rest, Span<float>.Empty, Span<float>.Empty);
        // Frames 425..430 (the last ~1000 samples) are masked out: the tail goes to the masked-out signal.
        Assert.True(TestData.MaxAbsDiff(x.AsSpan(0, 78000), expl.AsSpan(0, 78000)) < 1e-4f);
        Assert.True(TestData.MaxAbsDiff(x.AsSpan(79700), rest.AsSpan(79700)) < 1e-4f);
    }
}

using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>What users get back: outputs that add up to the input, full band; warnings with their figures.</summary>
public class OutputsAndWarningsTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{
    private static double RelativeNorm(float[] a, float[] b, float[] x)
    {
        double err = 0, energy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)a[i] + b[i] - x[i];
            err += d * d;
            energy += (double)x[i] * x[i];
        }

        return Math.Sqrt(err / energy);
    }

    [Theory]
    [InlineData("lmac-td", 44100)]
    [InlineData("lmac-stft", 44100)]
    [InlineData("lmac-td", 16000)]
    [InlineData("lmac-stft", 96000)]
    public void Explanation_and_masked_out_add_up_to_the_input_above_the_models_band_too(string kindName, int rate)
    {
        // Speech-band content plus a 12 kHz tone the 16 kHz model never hears, over two windows.
        int n = (int)(rate * 7.3);
        var x = ExplainerTests.Mixture(n, rate);
        if (rate > 24000)
        {
            var high = TestData.Sine(n, rate, 12000, 0.3);
            for (int i = 0; i < n; i++) x[i] += high[i];
        }

        var e = tiny.Of(InterpreterKind.Parse(kindName)).Explain(x, rate);
        Assert.True(RelativeNorm(e.ExplanationWaveform, e.MaskedOutWaveform, x) <= 1e-6);
        if (rate > 24000)
        {
            // The tone's energy share, from its amplitude against the whole signal's.
            double toneEnergy = 0.09 / 2 * n, total = x.Sum(v => (double)v * v);
            Assert.InRange(e.AboveBandShare, toneEnergy / total - 0.03, toneEnergy / total + 0.03);
            Assert.All(e.Windows, w => Assert.InRange(w.AboveBandShare!.Value, 0.2, 0.9));
        }
        else
        {
            Assert.Equal(0, e.AboveBandShare);
        }
    }

    [Theory]
    [InlineData("lmac-td")]
    [InlineData("lmac-stft")]
    public void Each_window_reports_its_interpreters_reconstruction_error(string kindName)
    {
        var x = ExplainerTests.Mixture(16000 * 3, 16000);
        var e = tiny.Of(InterpreterKind.Parse(kindName)).Explain(x, 16000);
        // One window at the model's rate: its model-rate outputs are the interpreter's own, at the input's level.
        double expected = RelativeNorm(e.ModelRateExplanation, e.ModelRateMaskedOut, x);
        Assert.Equal(expected, e.Windows[0].ReconstructionError, 4);
        Assert.True(e.Windows[0].ReconstructionError > 0);
    }

    [Fact]
    public void A_short_clip_is_explained_with_a_warning()
    {
        var e = tiny.LmacTd.Explain(ExplainerTests.Mixture(800, 16000), 16000);
        var w = Assert.Single(e.Warnings, w => w.Kind == WarningKind.TooShort);
        Assert.Contains("0.05 s", w.Message);
    }

    [Fact]
    public void Sixteen_bit_dither_is_flagged_near_silent_but_one_step_more_is_not()
    {
        var rng = new Random(3);
        var dither = Enumerable.Range(0, 16000).Select(_ => (rng.Next(3) - 1) / 32768f).ToArray();
        Assert.Contains(tiny.LmacTd.Explain(dither, 16000).Warnings, w => w.Kind == WarningKind.NearSilent);
        var quiet = dither.Select(v => v * 2).ToArray();
        Assert.DoesNotContain(tiny.LmacTd.Explain(quiet, 16000).Warnings, w => w.Kind == WarningKind.NearSilent);
    }

    [Fact]
    public void An_unconfident_decision_is_flagged_exactly_when_p_is_at_most_twice_uniform()
    {
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            var e = tiny.LmacStft.Explain(TestData.Noise(16000 * 2, seed), 16000);
            bool unconfident = e.Probabilities.Max() <= 2.0 / e.Probabilities.Length;
            Assert.Equal(unconfident, e.Warnings.Any(w => w.Kind == WarningKind.Unconfident));
        }
    }

    [Fact]
    public void A_tone_above_the_band_is_flagged()
    {
        var e = tiny.LmacTd.Explain(TestData.Sine(44100 * 2, 44100, 15000, 0.5), 44100);
        Assert.True(e.AboveBandShare > 0.99);
        Assert.Contains(e.Warnings, w => w.Kind == WarningKind.MostlyAboveBand && w.Message.Contains("8000 Hz"));
    }
}

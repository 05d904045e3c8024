using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>
/// The SpeechBrain convention's evidence (<see cref="MetricConvention.SpeechBrain"/>): L-MAC's map
/// <c>M * log1p |X|</c> and its masked log-mels at the mask's 425 frames, checked against a direct DFT written here.
/// </summary>
public class RecipeLmacEvidenceTests(TinyExplainers tiny) : IClassFixture<TinyExplainers>
{

    [Fact]
    public void The_map_is_the_mask_times_the_log_magnitude_of_a_direct_dft()
    {
        var spec = tiny.Package.Manifest.Interpreter<LmacStftSpec>()!;
        var clip = TestData.Noise(80000, 4, 0.5);
        var mask = RandomMask(spec, 5);
        var recipe = new RecipeLmacEvidence(spec, tiny.Package.Manifest.FrontEnd, MelFilterbank.For(tiny.Package.Manifest.FrontEnd));
        var map = new float[spec.MaskFrames * spec.MaskBins];
        int rows = tiny.Package.Manifest.FrontEnd.Frames, mels = tiny.Package.Manifest.FrontEnd.NMels;
        var melIn = new float[rows * mels];
        var melOut = new float[rows * mels];
        Array.Fill(melIn, 9f);

        recipe.Process(clip, mask, map, melIn, melOut);

        Assert.Equal(425, recipe.Frames);
        foreach (int t in new[] { 0, 1, 200, 424 })
        {
            for (int k = 0; k < spec.MaskBins; k += 29)
            {
                double logMag = Math.Log(1 + DirectMagnitude(clip, spec.Stft, t, k));
                int i = (t * spec.MaskBins) + k;
                Assert.Equal(mask[i] * logMag, map[i], 4);
            }
        }

        // Rows past the mask's frames are the log-mel of silence; the rest are the masked magnitudes' log-mel.
        Assert.All(melIn.Skip(425 * mels), v => Assert.Equal(0f, v));
        var extractor = new LogMelExtractor(tiny.Package.Manifest.FrontEnd);
        var expected = new float[425 * mels];
        extractor.ProcessMagnitudes([.. map.Select(v => (float)Math.Exp(v) - 1)], 425, expected);
        Assert.True(TestData.MaxAbsDiff(expected, melIn.AsSpan(0, 425 * mels)) < 1e-4f);
        extractor.ProcessMagnitudes([.. map.Select((v, i) => (float)Math.Exp((1 - mask[i]) / mask[i] * v) - 1)], 425, expected);
        Assert.True(TestData.MaxAbsDiff(expected, melOut.AsSpan(0, 425 * mels)) < 1e-3f);
    }

    [Fact]
    public void An_lmac_window_under_the_recipe_scores_the_masked_log_magnitude()
    {
        var x = TestData.Sine(16000, 16000, 440);
        using var recipeExplainer = new Explainer(tiny.Package, new ExplainerOptions
        {
            Interpreter = InterpreterKind.LmacStft,
            Inference = TestData.Options(InterpreterKind.LmacStft).Inference,
            MetricConvention = MetricConvention.SpeechBrain,
        });
        var paper = Assert.Single(tiny.LmacStft.Explain(x, 16000).Windows);
        var window = Assert.Single(recipeExplainer.Explain(x, 16000).Windows);
        var ev = window.Evidence!;

        var spec = tiny.Package.Manifest.Interpreter<LmacStftSpec>()!;
        Assert.Equal(MetricConvention.SpeechBrain, ev.Convention);
        Assert.Equal([425, 513], ev.MapShape);
        var clip = new float[80000];
        for (int i = 0; i < x.Length; i++) clip[i] = x[i] / window.NormalisationDivisor;
        foreach (int t in new[] { 3, 60, 424 })
        {
            for (int k = 0; k < 513; k += 41)
            {
                int i = (t * 513) + k;
                Assert.Equal(window.Mask[i] * Math.Log(1 + DirectMagnitude(clip, spec.Stft, t, k)), ev.Map[i], 4);
            }
        }

        // q and r: the classifier at its fixed 431 frames, as under the written formulas.
        Assert.Equal(paper.Evidence!.Q, ev.Q);
        Assert.Equal(paper.Evidence.R, ev.R);
        AssertRecipeFigures(window.Metrics!.AD, window.Metrics.SPS, ev);
    }

    [Fact]
    public void An_lmactd_window_under_the_recipe_keeps_its_evidence_and_changes_ad()
    {
        var x = TestData.Noise(20000, 6);
        using var recipeExplainer = new Explainer(tiny.Package, new ExplainerOptions
        {
            Interpreter = InterpreterKind.LmacTd,
            Inference = TestData.Options(InterpreterKind.LmacTd).Inference,
            MetricConvention = MetricConvention.SpeechBrain,
        });
        var paper = Assert.Single(tiny.LmacTd.Explain(x, 16000).Windows).Evidence!;
        var window = Assert.Single(recipeExplainer.Explain(x, 16000).Windows);
        var ev = window.Evidence!;

        Assert.Equal(MetricConvention.SpeechBrain, ev.Convention);
        Assert.Equal(paper.Q, ev.Q);
        Assert.Equal(paper.Map, ev.Map);
        AssertRecipeFigures(window.Metrics!.AD, window.Metrics.SPS, ev);
    }

    /// <summary>AD and SPS as the recipe computes them, written out from the evidence.</summary>
    internal static void AssertRecipeFigures(double ad, double sps, FaithfulnessEvidence ev)
    {
        int c = Array.IndexOf(ev.P, ev.P.Max());
        double ps = Math.Exp(ev.P[c]) / ev.P.Sum(v => Math.Exp(v));
        double qs = Math.Exp(ev.Q[c]) / ev.Q.Sum(v => Math.Exp(v));
        Assert.Equal(100 * Math.Max(0, ps - qs) / (ps + 1e-10), ad, 6);
        double max = ev.Map.Max(v => Math.Abs((double)v));
        var a = ev.Map.Select(v => (Math.Abs((double)v) / max) + 1e-7).OrderBy(v => v).ToArray();
        double gini = a.Select((v, i) => ((2.0 * (i + 1)) - a.Length - 1) * v).Sum() / (a.Length * a.Sum());
        Assert.Equal(gini, sps, 9);
    }

    private static float[] RandomMask(LmacStftSpec spec, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, spec.MaskFrames * spec.MaskBins).Select(_ => (float)(0.02 + (0.96 * random.NextDouble())))];
    }

    // |X[t, k]| of the centred, zero-padded STFT with a periodic Hamming window, straight from the definition.
    private static double DirectMagnitude(float[] x, StftSettings s, int frame, int k)
    {
        int offset = (s.NFft - s.WinLength) / 2;
        double re = 0, im = 0;
        for (int j = 0; j < s.NFft; j++)
        {
            int w = j - offset;
            if (w < 0 || w >= s.WinLength) continue;
            double window = 0.54 - (0.46 * Math.Cos(2 * Math.PI * w / s.WinLength));
            long n = ((long)frame * s.HopLength) + j - (s.NFft / 2);
            double v = n >= 0 && n < x.Length ? x[n] * window : 0;
            re += v * Math.Cos(2 * Math.PI * k * j / s.NFft);
            im -= v * Math.Sin(2 * Math.PI * k * j / s.NFft);
        }

        return Math.Sqrt((re * re) + (im * im) + s.MagnitudeEpsilon);
    }
}

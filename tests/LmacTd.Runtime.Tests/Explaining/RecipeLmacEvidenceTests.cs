using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using LmacTd.Runtime.Tests.Packages;

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
        int mels = tiny.Package.Manifest.FrontEnd.NMels;
        var melIn = new float[425 * mels];
        var melOut = new float[425 * mels];

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

        // The log-mels are those of the masked magnitudes, at the mask's 425 frames.
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

        AssertRecipeFigures(window.Metrics!.AD, window.Metrics.SPS, ev);
        // q and r are not the written formulas' (the classifier at 431 frames, the mask extended with zeros).
        Assert.True(Math.Max(MaxDiff(paper.Evidence!.Q, ev.Q), MaxDiff(paper.Evidence.R, ev.R)) > 1e-5);
    }

    [Fact]
    public void Under_the_recipe_l_macs_q_and_r_are_the_classifier_on_the_masked_log_mels_at_425_frames()
    {
        var x = TestData.Sine(30000, 16000, 700);
        var noise = TestData.Noise(30000, 9, 0.2);
        for (int i = 0; i < x.Length; i++) x[i] += noise[i];
        using var recipeExplainer = new Explainer(tiny.Package, new ExplainerOptions
        {
            Interpreter = InterpreterKind.LmacStft,
            Inference = TestData.Options(InterpreterKind.LmacStft).Inference,
            MetricConvention = MetricConvention.SpeechBrain,
        });
        var window = Assert.Single(recipeExplainer.Explain(x, 16000).Windows);
        var paper = Assert.Single(tiny.LmacStft.Explain(x, 16000).Windows).Evidence!;
        var ev = window.Evidence!;

        var (q, r) = IndependentRecipe.QAndR(tiny.Package, x, window.NormalisationDivisor, window.Mask);

        // Float32 FFT and filterbank in the runtime, double-precision DFT here: 3e-7 apart at most (measured).
        Assert.True(MaxDiff(q, ev.Q) < 3e-6, $"q differs by {MaxDiff(q, ev.Q)}");
        Assert.True(MaxDiff(r, ev.R) < 3e-6, $"r differs by {MaxDiff(r, ev.R)}");
        // The padded run (the written formulas' q and r at 431 frames) is another one.
        Assert.True(Math.Max(MaxDiff(paper.Q, ev.Q), MaxDiff(paper.R, ev.R)) > 1e-4);
    }

    [Fact]
    public void With_a_classifier_of_fixed_frames_the_recipe_keeps_the_written_formulas_q_and_r()
    {
        using var dir = FixedFramesPackage.Make();
        var package = ModelPackage.Load(dir.Path);
        var x = TestData.Noise(30000, 12);
        using var paperExplainer = new Explainer(package, TestData.Options(InterpreterKind.LmacStft));
        using var recipeExplainer = new Explainer(package, new ExplainerOptions
        {
            Interpreter = InterpreterKind.LmacStft,
            Inference = TestData.Options(InterpreterKind.LmacStft).Inference,
            MetricConvention = MetricConvention.SpeechBrain,
        });
        var paper = Assert.Single(paperExplainer.Explain(x, 16000).Windows).Evidence!;
        var ev = Assert.Single(recipeExplainer.Explain(x, 16000).Windows).Evidence!;

        Assert.Equal(MetricConvention.SpeechBrain, ev.Convention);
        Assert.Equal(paper.Q, ev.Q);
        Assert.Equal(paper.R, ev.R);
        Assert.Equal([425, 513], ev.MapShape);
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

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (u, v) => Math.Abs((double)u - v)).Max();

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

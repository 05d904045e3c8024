using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Parity;

public class ExplainerParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, InterpreterKind> Cases()
    {
        var data = new TheoryData<string, InterpreterKind>();
        foreach (var name in Golden.Load().CaseNamesList())
        {
            data.Add(name, InterpreterKind.LmacTd);
            data.Add(name, InterpreterKind.LmacStft);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Explanation_masked_out_mask_and_evidence_match_the_reference(string name, InterpreterKind kind) =>
        CheckAgainstReference(TestData.TinyPackage, name, kind, output);

    /// <summary>Explains golden case <paramref name="name"/> with the package in <paramref name="packageDir"/> and checks every output.</summary>
    internal static void CheckAgainstReference(string packageDir, string name, InterpreterKind kind, ITestOutputHelper output)
    {
        var g = Golden.Load();
        var package = ModelPackage.Load(packageDir);
        using var explainer = new Explainer(package, TestData.Options(kind));
        var input = g.Data(name, "input");
        var e = explainer.Explain(input, g.SampleRate(name));
        string k = kind.Name;

        var window = Assert.Single(e.Windows);
        Assert.Equal(g.Divisor(name), window.NormalisationDivisor);
        // Tolerances: under 10x the worst error measured over the golden cases, both interpreters, plain and split
        // graphs, on an Intel Xeon (family 6 model 207) and an AMD EPYC (family 26, Zen 5), both AVX-512 (tests/README.md);
        // the same on both to two digits. Measured:
        // logits 6.2e-6, mask 1.5e-5, waveforms 5.1e-6 of the peak, logits of explanation 5.0e-6, of masked-out 4.5e-6.
        Check("logits", g.Data(name, "logits"), window.Logits, 6e-5f);
        var (mask, maskShape) = g.Tensor(name, k + ".mask");
        Assert.Equal(maskShape, window.MaskShape);
        Check("mask", mask, window.Mask, 1e-4f);

        // Waveforms: the runtime returns them at the input's level; the reference at model scale.
        foreach (var (tensor, actual) in new[] { ("explanation", e.ModelRateExplanation), ("masked_out", e.ModelRateMaskedOut) })
        {
            var expected = g.Data(name, $"{k}.{tensor}");
            var scaled = actual.Select(v => v / window.NormalisationDivisor).ToArray();
            float peak = TestData.MaxAbs(expected);
            float err = TestData.MaxAbsDiff(expected, scaled);
            output.WriteLine($"{name} {k}: {tensor} max abs error {err:E2} = {err / peak:E2} of peak {peak:F4}");
            Assert.True(err <= 5e-5f * peak, $"{tensor}: max abs error {err} > 5e-5 x peak {peak}");
        }

        var evidence = Assert.IsType<FaithfulnessEvidence>(window.Evidence);
        Check("logits_explanation", g.Data(name, $"{k}.logits_explanation"), evidence.LogitsExplanation, 4.5e-5f);
        Check("logits_masked_out", g.Data(name, $"{k}.logits_masked_out"), evidence.LogitsMaskedOut, 4e-5f);

        void Check(string what, float[] expected, float[] actual, float tolerance)
        {
            float err = TestData.MaxAbsDiff(expected, actual);
            output.WriteLine($"{name} {k}: {what} max abs error {err:E2} (peak {TestData.MaxAbs(expected):F4})");
            Assert.True(err <= tolerance, $"{what}: max abs error {err} > {tolerance}");
        }
    }
}

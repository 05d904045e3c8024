using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Parity;

/// <summary>
/// The C# metrics against the Python reference's (models/lmactd_models/metrics.py, values in the golden index):
/// first on the reference's own logits and maps, then through the whole C# pipeline.
/// </summary>
public class MetricsParityTests(ITestOutputHelper output)
{
    // Tolerances: under 10x the worst difference measured over the golden cases and both interpreters on an Intel Xeon
    // (family 6 model 207) and an AMD EPYC (family 26, Zen 5), both AVX-512: the same on both (tests/README.md).
    // Figures beside each.
    // On the reference's own logits (float64 on both sides: only the order of operations differs):
    private const double ProbabilityTolerance = 1e-15;   // pc 0, qc 1.1e-16, rc 1.1e-16, FF 1.1e-16
    private const double DropGainTolerance = 2e-13;      // AD 2.1e-14; AG 0 measured, given AD's (the sibling formula)
    private const double SparsenessTolerance = 6e-12;    // SPS 6.6e-13
    private const double ComplexityTolerance = 2e-12;    // COMP 2.6e-13

    public static TheoryData<string, InterpreterKind> Cases() => ExplainerParityTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_of_the_reference_logits_match_the_reference_values(string name, InterpreterKind kind)
    {
        var g = Golden.Load();
        string k = kind.Name;
        var p = SoftmaxDouble(g.Data(name, "logits"));
        var q = SoftmaxDouble(g.Data(name, $"{k}.logits_explanation"));
        var r = SoftmaxDouble(g.Data(name, $"{k}.logits_masked_out"));

        // The L-MAC map is the mask, which the golden files hold whole. The LMAC-TD map needs the whole padded
        // explanation, which they do not hold (only its first `samples`): that one is checked through the pipeline.
        var map = kind == InterpreterKind.LmacStft ? g.Data(name, "lmac-stft.mask") : [];
        var m = Faithfulness.Compute(p, q, r, map);
        var expected = g.Metrics(name, k);

        Assert.Equal((int)expected["class"], m.ClassIndex);
        Near("pc", expected["pc"], m.PC, ProbabilityTolerance);
        Near("qc", expected["qc"], m.QC, ProbabilityTolerance);
        Near("rc", expected["rc"], m.RC, ProbabilityTolerance);
        Assert.Equal(expected["AI"], m.AI);
        Near("AD", expected["AD"], m.AD, DropGainTolerance);
        Near("AG", expected["AG"], m.AG, DropGainTolerance);
        Near("FF", expected["FF"], m.FF, ProbabilityTolerance);
        Assert.Equal(expected["FidIn"], m.FidIn);
        if (kind == InterpreterKind.LmacStft)
        {
            Near("SPS", expected["SPS"], m.SPS, SparsenessTolerance);
            Near("COMP", expected["COMP"], m.COMP, ComplexityTolerance);
        }

        void Near(string what, double want, double got, double tolerance)
        {
            output.WriteLine($"{name} {k} {what}: reference {want:R}, C# {got:R}, |diff| {Math.Abs(want - got):E2}");
            Assert.True(Math.Abs(want - got) <= tolerance, $"{what}: reference {want} vs C# {got} (tolerance {tolerance})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_from_the_explainers_evidence_match_the_reference_values(string name, InterpreterKind kind)
    {
        var g = Golden.Load();
        string k = kind.Name;
        var package = ModelPackage.Load(TestData.TinyPackage);
        using var explainer = new Explainer(package, TestData.Options(kind));
        var e = explainer.Explain(g.Data(name, "input"), g.SampleRate(name));
        var evidence = Assert.IsType<FaithfulnessEvidence>(Assert.Single(e.Windows).Evidence);

        var m = Faithfulness.Compute(evidence.P, evidence.Q, evidence.R, evidence.Map);
        var expected = g.Metrics(name, k);

        // SPS and COMP summarise a whole map, so float32 differences between ONNX Runtime and PyTorch average out.
        // The class decisions must agree exactly. The probabilities carry the graphs' float32 error (about 1e-6),
        // which AD and AG scale by 100 / p_c. Measured: SPS 5.5e-8, COMP 4.1e-7, FF 1.1e-6, AD 2.4e-4, AG 1.1e-4.
        Near("SPS", expected["SPS"], m.SPS, 5e-7);
        Near("COMP", expected["COMP"], m.COMP, 4e-6);
        Assert.Equal((int)expected["class"], m.ClassIndex);
        Assert.Equal(expected["FidIn"], m.FidIn);
        Assert.Equal(expected["AI"], m.AI);
        Near("FF", expected["FF"], m.FF, 1e-5);
        Near("AD", expected["AD"], m.AD, 2e-3);
        Near("AG", expected["AG"], m.AG, 1e-3);

        void Near(string what, double want, double got, double tolerance)
        {
            output.WriteLine($"{name} {k} {what}: reference {want:R}, C# {got:R}, |diff| {Math.Abs(want - got):E2}");
            Assert.True(Math.Abs(want - got) <= tolerance, $"{what}: reference {want} vs C# {got} (tolerance {tolerance})");
        }
    }

    private static double[] SoftmaxDouble(float[] logits)
    {
        double max = logits.Max();
        var e = logits.Select(z => Math.Exp(z - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}

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
    private const double Tolerance = 1e-5;

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
        Near("pc", expected["pc"], m.PC);
        Near("qc", expected["qc"], m.QC);
        Near("rc", expected["rc"], m.RC);
        Near("AI", expected["AI"], m.AI);
        Near("AD", expected["AD"], m.AD);
        Near("AG", expected["AG"], m.AG);
        Near("FF", expected["FF"], m.FF);
        Near("FidIn", expected["FidIn"], m.FidIn);
        if (kind == InterpreterKind.LmacStft)
        {
            Near("SPS", expected["SPS"], m.SPS);
            Near("COMP", expected["COMP"], m.COMP);
        }

        void Near(string what, double want, double got)
        {
            output.WriteLine($"{name} {k} {what}: reference {want:R}, C# {got:R}, |diff| {Math.Abs(want - got):E2}");
            Assert.True(Math.Abs(want - got) <= Tolerance, $"{what}: reference {want} vs C# {got}");
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

        // SPS and COMP summarise a whole map, so float32 differences between ONNX Runtime and PyTorch average out:
        // they meet the cross-implementation tolerance. The class decisions must agree exactly. The probabilities
        // carry the graphs' float32 error (about 1e-6), which AD and AG scale by 100 / p_c.
        Near("SPS", expected["SPS"], m.SPS, Tolerance);
        Near("COMP", expected["COMP"], m.COMP, Tolerance);
        Assert.Equal((int)expected["class"], m.ClassIndex);
        Assert.Equal(expected["FidIn"], m.FidIn);
        Assert.Equal(expected["AI"], m.AI);
        Near("FF", expected["FF"], m.FF, 1e-4);
        Near("AD", expected["AD"], m.AD, 1e-2);
        Near("AG", expected["AG"], m.AG, 1e-2);

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

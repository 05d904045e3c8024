using System.Text.Json.Nodes;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Interpreters;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Interpreters;

public class InterpreterPluginTests
{
    /// <summary>The tiny package with a <c>test-gate</c> entry beside its own interpreters.</summary>
    internal static TempDir GatePackage(double start, double end)
    {
        InterpreterRegistry.Register(new GateInterpreter());
        var dir = TestData.CopyTinyPackage();
        var path = Path.Combine(dir.Path, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest["interpreters"]![GateInterpreter.Name] = new JsonObject { ["gateStart"] = start, ["gateEnd"] = end };
        File.WriteAllText(path, manifest.ToJsonString());
        return dir;
    }

    [Fact]
    public void A_third_kind_is_one_class_and_one_registration()
    {
        using var dir = GatePackage(0.5, 1.5);
        var package = ModelPackage.Load(dir.Path);
        var kind = InterpreterKind.Parse("test-gate");
        Assert.Contains(kind, InterpreterKind.All);
        Assert.True(package.Manifest.Has(kind));
        Assert.Equal("gate (test double)", package.Manifest.InterpreterTitle(kind));

        using var explainer = new Explainer(package, TestData.Options(kind));
        Assert.Equal(kind, explainer.Interpreter);
        var x = TestData.Sine(32000, 16000, 440, 0.4);
        var e = explainer.Explain(x, 16000);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = i >= 8000 && i < 24000 ? x[i] : 0f;
            Assert.True(Math.Abs(expected - e.ExplanationWaveform[i]) < 1e-6f, $"sample {i}: {e.ExplanationWaveform[i]} against {expected}");
            Assert.True(Math.Abs(x[i] - expected - e.MaskedOutWaveform[i]) < 1e-6f);
        }

        Assert.Equal([1, 80000], e.Windows[0].MaskShape);
        // Its evidence ran through the classifier like any other kind's.
        Assert.NotNull(e.Metrics);
    }

    [Fact]
    public void An_entry_of_an_unregistered_kind_is_refused_with_the_known_ones_listed()
    {
        using var dir = TestData.CopyTinyPackage();
        var path = Path.Combine(dir.Path, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest["interpreters"]!["no-such-kind"] = new JsonObject();
        File.WriteAllText(path, manifest.ToJsonString());
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(dir.Path));
        Assert.Contains("interpreters.no-such-kind: unknown interpreter (expected lmac-td, lmac-stft", e.Message);
        Assert.Throws<ArgumentException>(() => InterpreterKind.Parse("no-such-kind"));
    }

    [Fact]
    public void The_default_kind_is_the_first_registered_that_the_package_holds()
    {
        var package = ModelPackage.Load(TestData.TinyPackage);
        Assert.Equal([InterpreterKind.LmacTd, InterpreterKind.LmacStft], package.Manifest.InterpreterKinds);
        using var explainer = new Explainer(package, new ExplainerOptions { Inference = TestData.Options(InterpreterKind.LmacTd).Inference });
        Assert.Equal(InterpreterKind.LmacTd, explainer.Interpreter);
    }
}

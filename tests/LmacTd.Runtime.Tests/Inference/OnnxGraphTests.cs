using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Inference;

public class OnnxGraphTests
{
    [Fact]
    public void A_failing_run_is_an_inference_exception_naming_the_graph()
    {
        var package = ModelPackage.Load(TestData.TinyPackage);
        var spec = package.Manifest.Classifier;
        var factory = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 });
        using var graph = factory.Open(package.PathOf(spec.File), spec);
        // 79 mel bands where the graph fixes 80.
        var e = Assert.Throws<InferenceException>(() => graph.Run(["logmel"], [TensorBuffer.Of(new float[431 * 79], 1, 431, 79)],
            ["logits"], [TensorBuffer.Of(new float[12], 1, 12)]));
        Assert.StartsWith(package.PathOf(spec.File), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_land_in_the_callers_buffers()
    {
        var package = ModelPackage.Load(TestData.TinyPackage);
        var spec = package.Manifest.Classifier;
        var factory = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 });
        using var graph = factory.Open(package.PathOf(spec.File), spec);
        var logits = Enumerable.Repeat(float.NaN, 24).ToArray();
        graph.Run(["logmel"], [TensorBuffer.Of(new float[2 * 431 * 80], 2, 431, 80)], ["logits"], [TensorBuffer.Of(logits, 2, 12)]);
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        // Two identical inputs in one batch give identical rows.
        Assert.Equal(logits[..12], logits[12..]);
    }
}

using LmacTd.Runtime.Features;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Parity;

public class ClassifierParityTests(ITestOutputHelper output)
{
    private static readonly string[] Outputs = ["logits", "rep6", "rep5", "rep4", "rep3"];

    // Max abs error against the PyTorch golden files, measured over the golden cases on an Intel Xeon (family 6 model
    // 207) and an AMD EPYC (family 26, Zen 5), both AVX-512, the same on both to two digits (tests/README.md):
    // logits 5.7e-6, rep6 5.8e-6, rep5 3.1e-6, rep4 3.8e-6, rep3 4.3e-6.
    // Each tolerance is under 10x its figure.
    private static readonly float[] Tolerances = [5e-5f, 5e-5f, 3e-5f, 3e-5f, 4e-5f];

    public static TheoryData<string> Cases() => Golden.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logits_and_representations_match_the_reference(string name)
    {
        var g = Golden.Load();
        var package = ModelPackage.Load(TestData.TinyPackage);
        var m = package.Manifest;
        var clip = FrontEndParityTests.NormalisedPaddedClip(g, name, m.ClipSamples);
        var logmel = new float[m.FrontEnd.Frames * m.FrontEnd.NMels];
        new LogMelExtractor(m.FrontEnd).Process(clip, logmel);

        var factory = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 });
        using var graph = factory.Open(package.PathOf(m.Classifier.File), m.Classifier);
        var outs = Outputs.Select(o => new float[m.Classifier.Output(o).ItemElements]).ToArray();
        graph.Run(["logmel"], [TensorBuffer.Of(logmel, 1, m.FrontEnd.Frames, m.FrontEnd.NMels)],
            Outputs, [.. Outputs.Select((o, i) => TensorBuffer.Of(outs[i], [1, .. m.Classifier.Output(o).Shape.Skip(1)]))]);

        for (int i = 0; i < Outputs.Length; i++)
        {
            var expected = g.Data(name, Outputs[i]);
            float err = TestData.MaxAbsDiff(expected, outs[i]);
            output.WriteLine($"{name}: {Outputs[i]} max abs error {err:E2} (peak {TestData.MaxAbs(expected):F3})");
            Assert.True(err <= Tolerances[i], $"{Outputs[i]} max abs error {err} > {Tolerances[i]}");
        }
    }
}

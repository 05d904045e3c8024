using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

public class ReadmeExampleTests
{
    // The README's embedding example, line for line, on the tiny package and a generated file.
    [Fact]
    public void The_readme_embedding_example_runs_as_written()
    {
        using var dir = new TempDir();
        WavWriter.Write(dir.File("street.wav"), TestData.Sine(32000, 32000, 440).Zip(TestData.Noise(32000, 9, 0.1), (a, b) => a + b).ToArray(), 32000);

        var package = ModelPackage.Load(TestData.TinyPackage);
        using var explainer = new Explainer(package);
        Explanation e = explainer.Explain(AudioDecoder.Load(dir.File("street.wav")));
        var line = $"{e.Label} ({e.Probability:P0}) on {explainer.Device}";
        WavWriter.Write(dir.File("street.explanation.wav"), e.ExplanationWaveform, e.SampleRate);
        WavWriter.Write(dir.File("street.masked-out.wav"), e.MaskedOutWaveform, e.SampleRate);
        var m = e.Metrics!;
        var metricsLine = $"p_c {m.PC:F2}, on the explanation {m.QC:F2}, on the rest {m.RC:F2}, Fid-In {m.FidIn}";

        Assert.StartsWith(e.Label, line, StringComparison.Ordinal);
        Assert.Equal(32000, AudioDecoder.Load(dir.File("street.explanation.wav")).Samples.Length);
        Assert.Equal(32000, AudioDecoder.Load(dir.File("street.masked-out.wav")).SampleRate);
        Assert.InRange(m.QC, 0, 1);
        Assert.StartsWith("p_c ", metricsLine, StringComparison.Ordinal);
    }
}

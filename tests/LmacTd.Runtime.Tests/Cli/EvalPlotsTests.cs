using LmacTd.Runtime.Audio;
using SkiaSharp;

namespace LmacTd.Runtime.Tests.Cli;

public class EvalPlotsTests
{
    [Fact]
    public void Plots_draw_the_metrics_and_with_labels_a_confusion_matrix_per_interpreter()
    {
        using var dir = new TempDir();
        WavWriter.Write(dir.File("a.wav"), TestData.Sine(16000, 16000, 440), 16000);
        WavWriter.Write(dir.File("b.wav"), TestData.Noise(16000, 7), 16000);
        File.WriteAllText(dir.File("labels.csv"), $"path,label\n{dir.File("a.wav")},piano\n{dir.File("b.wav")},sea_or_wind\n");
        var plots = Path.Combine(dir.Path, "plots");

        var (code, _, error) = CliRunner.Run("eval", dir.File("labels.csv"), "--model", TestData.TinyPackage, "--interpreter", "both",
            "--plots", plots, "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Equal(["confusion-lmac-stft.png", "confusion-lmac-td.png", "metrics.png"], Directory.GetFiles(plots).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(plots))
        {
            using var bitmap = SKBitmap.Decode(file);
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width >= 800 && bitmap.Height >= 700, file);
            Assert.True(ExplainVisualsTests.DistinctColours(bitmap) > 10, $"{file} is nearly blank");
        }
    }

    [Fact]
    public void Without_labels_there_is_no_confusion_matrix()
    {
        using var dir = new TempDir();
        WavWriter.Write(dir.File("a.wav"), TestData.Sine(16000, 16000, 440), 16000);
        var plots = Path.Combine(dir.Path, "plots");

        var (code, _, error) = CliRunner.Run("eval", dir.Path, "--model", TestData.TinyPackage, "--plots", plots, "--device", "cpu", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Equal(["metrics.png"], Directory.GetFiles(plots).Select(Path.GetFileName));
    }
}

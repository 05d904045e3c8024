using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Cli;

public class OrtCacheOptionTests
{
    [Theory]
    [InlineData("explain")]
    [InlineData("eval")]
    public void Ort_cache_fills_the_folder_it_names(string command)
    {
        using var dir = new TempDir();
        var input = dir.File("tone.wav");
        WavWriter.Write(input, TestData.Sine(16000, 16000, 440), 16000);
        var cache = Path.Combine(dir.Path, "ort-cache");

        var (code, _, error) = CliRunner.Run(command, command == "eval" ? dir.Path : input, "--model", TestData.TinyPackage,
            "--device", "cpu", "--threads", "1", "--ort-cache", cache);

        Assert.True(code == 0, error);
        Assert.Equal(2, Directory.GetFiles(cache, "*.onnx").Length);
    }
}

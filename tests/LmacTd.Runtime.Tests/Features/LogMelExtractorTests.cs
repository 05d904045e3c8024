using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Features;

public class LogMelExtractorTests
{
    private static readonly FrontEndSettings Settings = new(16000, new StftSettings(1024, 372, 186, 1e-14), 80, 0, 8000, 431);

    [Fact]
    public void Log_mel_is_log1p_of_the_filterbank_over_the_eps_magnitude()
    {
        var x = TestData.Noise(80000, 21);
        var extractor = new LogMelExtractor(Settings);
        var logmel = new float[431 * 80];
        extractor.Process(x, logmel);

        var mag = new float[513];
        new Stft(Settings.Stft).ProcessFrameMagnitude(x, 100, mag);
        var bank = MelFilterbank.For(Settings);
        for (int m = 0; m < 80; m += 9)
        {
            double acc = 0;
            for (int k = 0; k < 513; k++) acc += bank[m, k] * mag[k];
            Assert.Equal(Math.Log(1 + acc), logmel[100 * 80 + m], 5);
        }
    }

    [Fact]
    public void Magnitude_path_equals_the_waveform_path()
    {
        var x = TestData.Noise(80000, 22);
        var extractor = new LogMelExtractor(Settings);
        var direct = new float[431 * 80];
        extractor.Process(x, direct);
        var stft = new Stft(Settings.Stft);
        var mags = new float[431 * 513];
        for (int t = 0; t < 431; t++) stft.ProcessFrameMagnitude(x, t, mags.AsSpan(t * 513, 513));
        var viaMag = new float[431 * 80];
        extractor.ProcessMagnitudes(mags, 431, viaMag);
        Assert.Equal(0f, TestData.MaxAbsDiff(direct, viaMag));
    }

    [Fact]
    public void Silence_gives_the_log1p_of_the_eps_floor()
    {
        var logmel = new float[431 * 80];
        new LogMelExtractor(Settings).Process(new float[80000], logmel);
        Assert.All(logmel, v => Assert.InRange(v, 0f, 1e-4f));
    }

    [Fact]
    public void Process_frame_allocates_nothing()
    {
        var x = TestData.Noise(80000, 23);
        var extractor = new LogMelExtractor(Settings);
        var output = new float[80];

        // A whole pass first, so every path (the padded edge frames too) is compiled; then the fewest bytes of three
        // passes. The runtime itself sometimes allocates on the thread while it recompiles a hot loop; an allocation
        // per frame would show in every pass (431 frames).
        for (int t = 0; t < 431; t++) extractor.ProcessFrame(x, t, output);
        long fewest = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < 431; t++) extractor.ProcessFrame(x, t, output);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}

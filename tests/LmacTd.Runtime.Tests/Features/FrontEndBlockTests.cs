using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Features;

/// <summary>The block and range paths of the front end give the numbers of the frame-by-frame path (the parallel path: <see cref="LogMelPoolTests"/>).</summary>
public class FrontEndBlockTests
{
    private static readonly FrontEndSettings Settings = new(16000, new StftSettings(1024, 372, 186, 1e-14), 80, 0, 8000, 431);

    [Fact]
    public void Filterbank_over_many_frames_equals_frame_by_frame()
    {
        var bank = MelFilterbank.For(Settings);
        var mags = TestData.Noise(9 * 513, 31, 5.0).Select(Math.Abs).ToArray();
        for (int frames = 1; frames <= 9; frames++)
        {
            var together = new float[frames * 80];
            bank.ApplyFrames(mags, frames, together);
            var one = new float[80];
            for (int t = 0; t < frames; t++)
            {
                bank.Apply(mags.AsSpan(t * 513, 513), one);
                Assert.Equal(one, together.AsSpan(t * 80, 80).ToArray());
            }
        }
    }

    [Fact]
    public void Stft_magnitudes_of_a_frame_range_equal_those_of_each_frame()
    {
        var x = TestData.Noise(80000, 32);
        var stft = new Stft(Settings.Stft);
        var block = new float[11 * 513];
        // A range that starts at the padded edge and does not fill its last block of lanes.
        stft.ProcessMagnitudes(x, 0, 11, block);
        var tail = new float[6 * 513];
        stft.ProcessMagnitudes(x, 425, 6, tail);
        var one = new float[513];
        for (int t = 0; t < 11; t++)
        {
            stft.ProcessFrameMagnitude(x, t, one);
            Assert.Equal(one, block.AsSpan(t * 513, 513).ToArray());
        }

        for (int t = 0; t < 6; t++)
        {
            stft.ProcessFrameMagnitude(x, 425 + t, one);
            Assert.Equal(one, tail.AsSpan(t * 513, 513).ToArray());
        }
    }

    [Fact]
    public void Log_mel_of_frame_ranges_and_of_frames_one_by_one_equal_the_whole()
    {
        var x = TestData.Noise(80000, 33);
        var extractor = new LogMelExtractor(Settings);
        var whole = new float[431 * 80];
        extractor.Process(x, whole);
        var pieces = new float[431 * 80];
        foreach (var (first, count) in new[] { (0, 5), (5, 64), (69, 1), (70, 361) })
            extractor.Process(x, first, count, pieces.AsSpan(first * 80, count * 80));
        Assert.Equal(whole, pieces);
        var frame = new float[80];
        foreach (int t in new[] { 0, 1, 215, 430 })
        {
            extractor.ProcessFrame(x, t, frame);
            Assert.Equal(whole.AsSpan(t * 80, 80).ToArray(), frame);
        }
    }
}

using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Features;

/// <summary>
/// The front end's guards, which Stryker.NET found untested (tests/README.md): each buffer of exactly the size asked
/// for is taken, one sample short (in either of a pair) is refused, and bad settings are refused at construction.
/// </summary>
public class FeaturesGuardTests
{
    private static readonly StftSettings Stft = new(64, 48, 16, 1e-14);
    private static readonly FrontEndSettings FrontEnd = new(16000, Stft, 8, 0, 8000, 5);

    [Fact]
    public void Stft_buffers_of_the_size_asked_are_taken_and_shorter_ones_refused()
    {
        var stft = new Stft(Stft);
        var x = TestData.Sine(64, 16000, 1000);
        int bins = Stft.Bins, frames = stft.FrameCount(x.Length);
        stft.ProcessFrame(x, 1, new float[bins], new float[bins]);
        stft.ProcessFrame(x, 1, new float[bins + 3], new float[bins + 3]);
        Assert.Throws<ArgumentException>(() => stft.ProcessFrame(x, 1, new float[bins - 1], new float[bins]));
        Assert.Throws<ArgumentException>(() => stft.ProcessFrame(x, 1, new float[bins], new float[bins - 1]));
        stft.ProcessFrameMagnitude(x, 1, new float[bins]);
        stft.ProcessFrameMagnitude(x, 1, new float[bins + 1]);
        Assert.Throws<ArgumentException>(() => stft.ProcessFrameMagnitude(x, 1, new float[bins - 1]));
        stft.Process(x, new float[frames * bins], new float[frames * bins]);
        stft.Process(x, new float[frames * bins + 1], new float[frames * bins + 1]);
        Assert.Throws<ArgumentException>(() => stft.Process(x, new float[frames * bins - 1], new float[frames * bins]));
        Assert.Throws<ArgumentException>(() => stft.Process(x, new float[frames * bins], new float[frames * bins - 1]));

        var inverse = new InverseStft(Stft);
        inverse.Process(new float[frames * bins], new float[frames * bins], frames, new float[x.Length]);
        inverse.Process(new float[frames * bins + 1], new float[frames * bins + 1], frames, new float[x.Length]);
        Assert.Throws<ArgumentException>(() => inverse.Process(new float[frames * bins - 1], new float[frames * bins], frames, new float[x.Length]));
        Assert.Throws<ArgumentException>(() => inverse.Process(new float[frames * bins], new float[frames * bins - 1], frames, new float[x.Length]));
    }

    [Fact]
    public void Bad_settings_are_refused_at_construction()
    {
        var bad = new StftSettings(60, 48, 16, 1e-14); // not a power of two
        Assert.Throws<ArgumentNullException>(() => new Stft(null!));
        Assert.Throws<ArgumentException>(() => new Stft(bad));
        Assert.Throws<ArgumentNullException>(() => new InverseStft(null!));
        Assert.Throws<ArgumentException>(() => new InverseStft(bad));
        Assert.Throws<ArgumentNullException>(() => new LogMelExtractor(null!));
        Assert.Throws<ArgumentException>(() => new LogMelExtractor(FrontEnd with { Stft = bad }));
        Assert.Throws<ArgumentNullException>(() => MelFilterbank.For(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterbank(0, 64, 16000, 0, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterbank(8, 1, 16000, 0, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterbank(8, 64, 0, 0, 8000));
        Assert.Contains("fMin", Assert.Throws<ArgumentException>(() => new MelFilterbank(8, 64, 16000, 100, 100)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.HammingPeriodic(0, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.HammingPeriodic(48, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.HammingPeriodicDouble(0, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => Windows.HammingPeriodicDouble(48, 32));
    }

    [Fact]
    public void Log_mel_buffers_and_filterbank_are_checked()
    {
        var other = new MelFilterbank(9, 64, 16000, 0, 8000);
        Assert.Contains("other settings", Assert.Throws<ArgumentException>(() => new LogMelExtractor(FrontEnd, other)).Message);
        var extractor = new LogMelExtractor(FrontEnd, MelFilterbank.For(FrontEnd));
        var x = TestData.Sine(64, 16000, 1000);
        int frames = extractor.FrameCount(x.Length), mels = FrontEnd.NMels, bins = Stft.Bins;
        extractor.Process(x, new float[frames * mels]);
        extractor.Process(x, new float[frames * mels + 1]);
        Assert.Throws<ArgumentException>(() => extractor.Process(x, new float[frames * mels - 1]));
        var mags = new float[frames * bins];
        Array.Fill(mags, 1f);
        extractor.ProcessMagnitudes(mags, frames, new float[frames * mels]);
        extractor.ProcessMagnitudes([.. mags, 1f], frames, new float[frames * mels + 1]);
        Assert.Throws<ArgumentException>(() => extractor.ProcessMagnitudes(mags.AsSpan(1), frames, new float[frames * mels]));
        Assert.Throws<ArgumentException>(() => extractor.ProcessMagnitudes(mags, frames, new float[frames * mels - 1]));

        var bank = MelFilterbank.For(FrontEnd);
        bank.Apply(new float[bins], new float[mels]);
        bank.Apply(new float[bins + 1], new float[mels + 1]);
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[bins - 1], new float[mels]));
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[bins], new float[mels - 1]));
    }
}

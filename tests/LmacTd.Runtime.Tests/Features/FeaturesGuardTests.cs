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

    [Fact]
    public void Settings_that_only_their_own_validation_refuses_are_refused()
    {
        // Hop 0 and fMax above the Nyquist frequency pass every check but Validate(): the FFT, the windows and the
        // filterbank accept them.
        var noHop = new StftSettings(64, 48, 0, 1e-14);
        Assert.Contains("hopLength", Assert.Throws<ArgumentException>(() => new Stft(noHop)).Message);
        Assert.Contains("hopLength", Assert.Throws<ArgumentException>(() => new InverseStft(noHop)).Message);
        Assert.Contains("fMax", Assert.Throws<ArgumentException>(() => new LogMelExtractor(FrontEnd with { FMax = 9000 }, MelFilterbank.For(FrontEnd))).Message);
        Assert.Contains("nFft must be at least 4, got 2", Assert.Throws<ArgumentException>(() => new Stft(new StftSettings(2, 2, 1, 0))).Message);
        Assert.Equal(3, new Stft(new StftSettings(4, 4, 2, 0)).Settings.Bins); // 4, the least, is taken
    }

    [Fact]
    public void Refusals_name_the_size_they_need()
    {
        var stft = new Stft(Stft);
        var x = TestData.Sine(64, 16000, 1000);
        int bins = Stft.Bins, frames = stft.FrameCount(x.Length), mels = FrontEnd.NMels;
        Assert.Contains($"need {bins} values in re and im", Assert.Throws<ArgumentException>(() => stft.ProcessFrame(x, 0, new float[bins], new float[bins - 1])).Message);
        Assert.Contains($"need {3 * bins} values in re and im", Assert.Throws<ArgumentException>(() => stft.ProcessFrames(x, 0, 3, new float[3 * bins], new float[(3 * bins) - 1])).Message);
        Assert.Contains($"need {bins} values", Assert.Throws<ArgumentException>(() => stft.ProcessFrameMagnitude(x, 0, new float[bins - 1])).Message);
        Assert.Contains($"need {2 * bins} values", Assert.Throws<ArgumentException>(() => stft.ProcessMagnitudes(x, 0, 2, new float[(2 * bins) - 1])).Message);
        Assert.Contains("frame -1 is negative", Assert.Throws<ArgumentOutOfRangeException>(() => stft.ProcessFrameMagnitude(x, -1, new float[bins])).Message);
        Assert.Contains($"need {frames * bins} values in re and im", Assert.Throws<ArgumentException>(() =>
            new InverseStft(Stft).Process(new float[frames * bins], new float[(frames * bins) - 1], frames, new float[x.Length])).Message);

        var extractor = new LogMelExtractor(FrontEnd);
        extractor.ProcessFrame(x, 0, new float[mels + 1]);
        Assert.Contains($"need {mels} values", Assert.Throws<ArgumentException>(() => extractor.ProcessFrame(x, 0, new float[mels - 1])).Message);
        Assert.Contains($"need {frames * mels} values", Assert.Throws<ArgumentException>(() => extractor.Process(x, new float[(frames * mels) - 1])).Message);
        Assert.Contains($"need {2 * mels} values", Assert.Throws<ArgumentException>(() => extractor.Process(x, 1, 2, new float[(2 * mels) - 1])).Message);
        var magnitudes = Assert.Throws<ArgumentException>(() => extractor.ProcessMagnitudes(new float[(frames * bins) - 1], frames, new float[frames * mels]));
        Assert.Equal("magnitudes", magnitudes.ParamName);
        Assert.Contains($"need {frames * bins} magnitudes", magnitudes.Message);
        Assert.Contains($"need {frames * mels} values", Assert.Throws<ArgumentException>(() => extractor.ProcessMagnitudes(new float[frames * bins], frames, new float[(frames * mels) - 1])).Message);

        var bank = MelFilterbank.For(FrontEnd);
        Assert.Contains($"need {bins} bins, got {bins - 1}", Assert.Throws<ArgumentException>(() => bank.Apply(new float[bins - 1], new float[mels])).Message);
        Assert.Contains($"need room for {mels} filters", Assert.Throws<ArgumentException>(() => bank.Apply(new float[bins], new float[mels - 1])).Message);
        bank.ApplyFrames(new float[3 * bins], 3, new float[3 * mels]);
        bank.ApplyFrames(new float[(3 * bins) + 1], 3, new float[(3 * mels) + 1]);
        Assert.Contains($"need {3 * bins} magnitudes", Assert.Throws<ArgumentException>(() => bank.ApplyFrames(new float[(3 * bins) - 1], 3, new float[3 * mels])).Message);
        Assert.Contains($"need room for {3 * mels} values", Assert.Throws<ArgumentException>(() => bank.ApplyFrames(new float[3 * bins], 3, new float[(3 * mels) - 1])).Message);

        Assert.Contains("need room for 5 values", Assert.Throws<ArgumentException>(() => Log1p.Apply(new float[5], new float[4])).Message);
    }

    [Fact]
    public void Lane_fft_refusals_name_what_they_need()
    {
        Assert.Contains("power of two >= 4, got 12", Assert.Throws<ArgumentException>(() => new LaneFft(12)).Message);
        var fft = new LaneFft(16);
        int lanes = LaneFft.Lanes, bins = fft.Bins;
        Assert.Contains($"lane must be in 0..{lanes - 1}, got {lanes}", Assert.Throws<ArgumentOutOfRangeException>(() => fft.Load(lanes, 0, new double[4])).Message);
        Assert.Contains("samples 14..17 do not fit a frame of 16", Assert.Throws<ArgumentOutOfRangeException>(() => fft.Load(0, 14, new double[4])).Message);
        fft.Magnitudes(0, 0, Span<float>.Empty); // no lanes: nothing to write, nothing refused
        Assert.Contains($"need 0..{lanes} lanes, got {lanes + 1}", Assert.Throws<ArgumentOutOfRangeException>(() => fft.Magnitudes(lanes + 1, 0, new float[100])).Message);
        Assert.Contains($"need {2 * bins} values", Assert.Throws<ArgumentException>(() => fft.Magnitudes(2, 0, new float[(2 * bins) - 1])).Message);
        fft.Spectrum(lanes - 1, new float[bins + 1], new float[bins + 1]);
        Assert.Contains($"lane must be in 0..{lanes - 1}, got {lanes}", Assert.Throws<ArgumentOutOfRangeException>(() => fft.Spectrum(lanes, new float[bins], new float[bins])).Message);
        Assert.Contains($"need {bins} values in re and im", Assert.Throws<ArgumentException>(() => fft.Spectrum(0, new float[bins - 1], new float[bins])).Message);
    }
}

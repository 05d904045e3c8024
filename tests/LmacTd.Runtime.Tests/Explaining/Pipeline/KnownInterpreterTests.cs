using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Tests.Audio;
using LmacTd.Runtime.Tests.Interpreters;
using Xunit.Abstractions;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The whole pipeline (decoder, resampling to the model's rate and back, windowing, batches, overlap-add, levels)
/// with interpreters whose outputs are known, against closed-form references (<see cref="KnownSignal"/>,
/// <see cref="ExpectedGate"/>): at five input rates, mono and two channels, one window and many (more than a batch).
/// </summary>
public class KnownInterpreterTests(KnownMaskExplainers fx, ITestOutputHelper log) : IClassFixture<KnownMaskExplainers>
{
    private const int ModelRate = 16000;

    // Measured on two CPUs (Intel Xeon family 6 model 207 and AMD EPYC family 26, both AVX-512; tests/README.md), worst
    // over all 60 cases: the outputs against the closed-form band-limited signal (peak about 0.55) 2.8e-5 on both; the
    // tolerance is 7x that. The
    // Kaiser kernel's own pass-band ripple and stop-band leak (about -86 dB, 5e-5 of a tone) bound it from below.
    private const double BandTolerance = 2e-4;

    // Outputs of k x input against k x the outputs, relative to k x the peak: measured 2.0e-7 (float rounding).
    private const double LevelTolerance = 1e-6;

    // A window's probabilities against the evidence's for the identical signal: measured 0 (the same rows run the same
    // graph); the tolerance leaves room only for float rounding.
    private const double EvidenceTolerance = 1e-6;

    // The assembly's above-band share (whole and per window) against the closed form's: measured 1.9e-8 worst over the
    // 20 all-zeros cases on the AMD EPYC family 26 (one CPU only so far); the tolerance is 10x that.
    private const double ShareTolerance = 2e-7;

    public static TheoryData<int, int, double, int> Cases()
    {
        var data = new TheoryData<int, int, double, int>();
        foreach (int rate in new[] { 8000, 22050, 44100, 48000, 96000 })
        {
            data.Add(rate, 1, 3.3, 8);   // one window, mono
            data.Add(rate, 2, 3.3, 8);   // one window, two channels
            data.Add(rate, 1, 31.3, 8);  // 12 windows: two batches of at most 8
            data.Add(rate, 2, 12.7, 2);  // 5 windows in batches of 2 (and evidence runs of 4 rows in chunks of 2)
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void All_ones_gives_the_input_band_limited_and_nothing_masked_out(int rate, int channels, double seconds, int batch)
    {
        var signal = new KnownSignal(rate, channels, seconds);
        using var dir = new TempDir();
        var clip = Decode(signal, dir);
        const float k = 0.05f;
        var quiet = new AudioClip([.. clip.Samples.Select(v => k * v)], rate);
        var explainer = fx.Of(ConstantMaskInterpreter.OnesName, batch);
        var both = explainer.ExplainBatch([clip, quiet]);
        var e = both[0];

        Assert.Equal(signal.Length, e.ExplanationWaveform.Length);
        Assert.Equal(signal.Length, e.MaskedOutWaveform.Length);
        Check("ones explanation", rate, e.ExplanationWaveform, i => signal.InBand[i], BandTolerance);
        // The masked-out waveform is the input less the explanation: here, what lies above the model's band.
        Check("ones masked-out", rate, e.MaskedOutWaveform, i => clip.Samples[i] - signal.InBand[i], BandTolerance);
        Check("ones model-rate explanation", rate, e.ModelRateExplanation, n => signal.InBandAt((double)n / ModelRate), BandTolerance);

        // Levels restored: the same audio k times quieter gives outputs k times quieter, windows' divisors aside.
        double peak = signal.InBand.Max(Math.Abs);
        Check("level", rate, both[1].ExplanationWaveform, i => k * e.ExplanationWaveform[i], LevelTolerance * k * peak);
        Assert.Equal(e.Windows.Count, both[1].Windows.Count);

        // The explanation is each window itself: the classifier hears it as it heard the window.
        foreach (var w in e.Windows) AssertClose("q against p", w.Probabilities, w.Evidence!.Q);
        if (seconds > 5) Assert.True(e.Windows.Count > batch, $"{e.Windows.Count} windows, batches of {batch}");

        // Streaming the same audio in odd chunks gives the same outputs.
        var stream = explainer.OpenStream(rate);
        var streamed = new List<float>();
        for (int at = 0; at < clip.Samples.Length; at += 7919)
            streamed.AddRange(stream.Write(clip.Samples.AsSpan(at, Math.Min(7919, clip.Samples.Length - at))).Explanation);
        streamed.AddRange(stream.Complete().Explanation);
        Check("ones streamed", rate, [.. streamed], i => signal.InBand[i], BandTolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void All_zeros_masks_out_the_input_band_limited(int rate, int channels, double seconds, int batch)
    {
        var signal = new KnownSignal(rate, channels, seconds);
        using var dir = new TempDir();
        var clip = Decode(signal, dir);
        var e = fx.Of(ConstantMaskInterpreter.ZerosName, batch).Explain(clip);

        Check("zeros explanation", rate, e.ExplanationWaveform, _ => 0, BandTolerance);
        // At the input's rate the masked-out waveform is the input less the explanation: all of it, full band; at the
        // model's rate it is the interpreter's own, the input within the band.
        Check("zeros masked-out", rate, e.MaskedOutWaveform, i => clip.Samples[i], BandTolerance);
        Check("zeros model-rate masked-out", rate, e.ModelRateMaskedOut, n => signal.InBandAt((double)n / ModelRate), BandTolerance);
        foreach (var w in e.Windows) AssertClose("r against p", w.Probabilities, w.Evidence!.R);
        CheckSummary(signal, clip, e);
    }

    // The figures the assembly adds to the outputs, each against its own computation here: the share of the input's
    // energy above the model's band (whole and per window) from the closed-form band-limited signal, the prediction as
    // the mean of the windows' probabilities, the top-k list's length, and no warning that clean, untruncated,
    // seconds-long audio must not raise.
    private void CheckSummary(KnownSignal signal, AudioClip clip, Explanation e)
    {
        double Share(int from, int to) => StreamingSummaryTests.Share(clip.Samples, i => signal.InBand[i], from, to);

        double ratio = (double)signal.Rate / ModelRate, worst = Math.Abs(e.AboveBandShare - Share(0, signal.Length));
        foreach (var w in e.Windows)
        {
            int from = (int)(w.Start * ratio), to = (int)Math.Min(signal.Length, (w.Start + w.Length) * ratio);
            worst = Math.Max(worst, Math.Abs(w.AboveBandShare!.Value - Share(from, to)));
        }

        log.WriteLine($"above-band share {signal.Rate} Hz: {e.AboveBandShare:F4}, worst {worst:E2}");
        Assert.True(worst <= ShareTolerance, $"above-band share at {signal.Rate} Hz off by {worst:E2}");
        if (signal.Rate > 21000) Assert.InRange(e.AboveBandShare, 0.2, 0.5); // tones above 9.5 kHz are there

        var mean = new double[e.Probabilities.Length];
        foreach (var w in e.Windows)
        {
            for (int k = 0; k < mean.Length; k++) mean[k] += (double)w.Probabilities[k] / e.Windows.Count;
        }

        AssertClose("prediction against the windows' mean", e.Probabilities, [.. mean.Select(v => (float)v)]);
        Assert.Equal(Math.Min(ExplainerOptions.Default.TopK, e.Probabilities.Length), e.Top.Count);
        Assert.DoesNotContain(e.Warnings, w => w.Kind is WarningKind.Truncated or WarningKind.TooShort or WarningKind.NearSilent or WarningKind.MostlyAboveBand);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_time_gate_keeps_its_stretch_of_each_window_with_edges_at_the_right_input_sample(int rate, int channels, double seconds, int batch)
    {
        var signal = new KnownSignal(rate, channels, seconds);
        using var dir = new TempDir();
        var input = Decode(signal, dir);
        var e = fx.Of(GateInterpreter.Name, batch).Explain(input);
        int clip = fx.Package.Manifest.ClipSamples;
        var gate = new ExpectedGate(e.ModelRateExplanation.Length, clip, ExplainerOptions.Default.WindowOverlap,
            (int)Math.Round(KnownMaskExplainers.GateStart * ModelRate), (int)Math.Round(KnownMaskExplainers.GateEnd * ModelRate));
        Assert.Equal(gate.Starts.Select(s => (long)s), e.Windows.Select(w => w.Start));

        // The resampler back to the input rate spreads a jump over its kernel's half length: 24 zero crossings at
        // 0.92 of the lower Nyquist frequency, in model-rate samples; one more for rounding. Only that much is left
        // out around each jump, so every jump sits at the right input sample give or take the kernel's reach: one
        // misplaced by more puts the samples just past the reach on the wrong side of it.
        double reach = 12 / (0.46 * Math.Min(1.0, (double)rate / ModelRate)) + 1;
        double ratio = (double)ModelRate / rate;
        int kept = 0;
        var expl = e.ExplanationWaveform;
        var outs = e.MaskedOutWaveform;
        double worst = 0;
        for (int i = 0; i < expl.Length; i++)
        {
            double pos = i * ratio;
            if (gate.NearEdge(pos, reach)) continue;
            double g = gate.At(pos);
            if (g == 1) kept++;
            worst = Math.Max(worst, Math.Max(Math.Abs(expl[i] - g * signal.InBand[i]), Math.Abs(outs[i] - (input.Samples[i] - g * signal.InBand[i]))));
        }

        log.WriteLine($"gate {rate} Hz x{channels} {seconds} s: worst {worst:E2}");
        Assert.True(worst <= BandTolerance, $"gate at {rate} Hz: error {worst:E2} away from the edges");
        Assert.True(kept > 0.5 * rate, "the gate kept less than half a second whole");
    }

    private static AudioClip Decode(KnownSignal signal, TempDir dir)
    {
        var path = dir.File("in.wav");
        if (signal.Channels == 1) WavWriter.Write(path, signal.Interleaved, signal.Rate);
        else File.WriteAllBytes(path, WavBuilder.Build(signal.Interleaved, signal.Channels, signal.Rate, 32, isFloat: true, extensible: true));
        var clip = AudioDecoder.Load(path);
        Assert.Equal(signal.Channels, clip.SourceChannels);
        return clip;
    }

    private void Check(string what, int rate, float[] actual, Func<int, double> expected, double tolerance)
    {
        double worst = 0;
        int at = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs(actual[i] - expected(i));
            if (d > worst) (worst, at) = (d, i);
        }

        log.WriteLine($"{what} {rate} Hz: worst {worst:E2} at {at} of {actual.Length}");
        Assert.True(worst <= tolerance, $"{what} at {rate} Hz: sample {at} of {actual.Length} is off by {worst:E2} (tolerance {tolerance:E1})");
    }

    private void AssertClose(string what, float[] a, float[] b)
    {
        float d = TestData.MaxAbsDiff(a, b);
        log.WriteLine($"{what}: {d:E2}");
        Assert.True(d <= EvidenceTolerance, $"{what}: {d:E2}");
    }
}

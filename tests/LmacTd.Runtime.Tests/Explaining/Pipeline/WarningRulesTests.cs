using System.Globalization;
using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Inference;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The warnings' rules at their edges (as documented on <see cref="WarningKind"/>), the prediction of long audio and the
/// top-k list, on results made directly rather than through the graphs.
/// </summary>
public class WarningRulesTests
{
    private static readonly string[] Labels = ["a", "b", "c", "d"];

    [Theory]
    [InlineData(0.4999, true)]
    [InlineData(0.5, false)]
    public void Under_half_a_second_is_too_short(double seconds, bool warned)
    {
        var warnings = Warnings(Confident(), seconds, null, 0.5f);
        Assert.Equal(warned, warnings.Any(w => w.Kind == WarningKind.TooShort));
        if (warned) Assert.Contains(Invariant($"lasts {seconds:0.###} s; under 0.5 s"), Single(warnings, WarningKind.TooShort).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1f, true)]
    [InlineData(1.00009f, true)]
    [InlineData(1.0001f, true)]   // exactly the threshold: still near silent
    [InlineData(1.0002f, false)]
    [InlineData(2f, false)]
    [InlineData(0f, true)]
    public void A_peak_of_one_16_bit_step_or_less_is_near_silent(float steps, bool warned)
    {
        var warnings = Warnings(Confident(), 3, null, steps / 32768);
        Assert.Equal(warned, warnings.Any(w => w.Kind == WarningKind.NearSilent));
        if (warned) Assert.Contains("not above one 16-bit step (3.05e-5)", Single(warnings, WarningKind.NearSilent).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(0.5001, true)]
    [InlineData(0.97, true)]
    public void More_than_half_the_energy_above_the_band_is_flagged_with_the_band(double share, bool warned)
    {
        var e = Result([0.97f, 0.01f, 0.01f, 0.01f], share);
        var warnings = ExplanationAssembly.Warnings(e, 3, null, 0.5f, 8000);
        Assert.Equal(warned, warnings.Any(w => w.Kind == WarningKind.MostlyAboveBand));
        if (warned)
        {
            Assert.Equal(Invariant($"{share * 100:0} % of the input's energy lies above the model's 8000 Hz band, which it does not hear"),
                Single(warnings, WarningKind.MostlyAboveBand).Message);
        }
    }

    [Theory]
    [InlineData(0.5f, true)]   // exactly twice the uniform 0.25
    [InlineData(0.4f, true)]
    [InlineData(0.51f, false)]
    public void A_decision_at_most_twice_uniform_is_unconfident(float top, bool warned)
    {
        float rest = (1 - top) / 3;
        var warnings = Warnings(Result([rest, top, rest, rest], 0), 3, null, 0.5f);
        Assert.Equal(warned, warnings.Any(w => w.Kind == WarningKind.Unconfident));
        if (warned)
        {
            Assert.Equal(Invariant($"the decision (b, {top:0.000}) is no more confident than twice the uniform probability (0.250)"),
                Single(warnings, WarningKind.Unconfident).Message);
        }
    }

    [Fact]
    public void A_truncated_file_names_both_durations_and_nothing_else_is_raised_for_good_input()
    {
        var warnings = Warnings(Confident(), 2.5, 10.0, 0.5f);
        var w = Assert.Single(warnings);
        Assert.Equal(WarningKind.Truncated, w.Kind);
        Assert.Equal("the file declares 10 s but holds 2.5 s: it was cut short", w.Message);
        Assert.Equal(w.Message, w.ToString());
        Assert.Empty(Warnings(Confident(), 2.5, null, 0.5f));
        // Durations to the millisecond, the peak to three figures.
        Assert.Equal("the file declares 10.123 s but holds 2 s: it was cut short", Assert.Single(Warnings(Confident(), 2.0004, 10.123456, 0.5f)).Message);
        Assert.StartsWith("the input's peak is 3.05e-5,", Single(Warnings(Confident(), 3, null, 1f / 32768), WarningKind.NearSilent).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_audio_is_predicted_by_the_mean_of_its_windows_probabilities()
    {
        // Softmax of these logits: window 1 favours class 0, window 2 class 2, more strongly.
        var w1 = new ExplainedWindow(0, 10, 1, [2f, 0f, 0f, 0f], [], [0], null);
        var w2 = new ExplainedWindow(5, 10, 1, [0f, 0f, 3f, 0f], [], [0], null);
        var mean = ExplanationAssembly.MeanProbabilities([w1, w2], 4);
        for (int k = 0; k < 4; k++) Assert.Equal((w1.Probabilities[k] + w2.Probabilities[k]) / 2, mean[k], 6);
        Assert.Equal(0, w1.ClassIndex);
        Assert.Equal(2, w2.ClassIndex);
        Assert.Equal(2, Result(mean, 0).ClassIndex);
    }

    [Fact]
    public void Top_k_lists_the_most_probable_first_ties_by_index()
    {
        var e = new Explanation(Labels, [0.1f, 0.3f, 0.3f, 0.3f], 3) { Interpreter = InterpreterKind.LmacTd, Device = Cpu, SampleRate = 1, ModelSampleRate = 1,
            ExplanationWaveform = [], MaskedOutWaveform = [], ModelRateExplanation = [], ModelRateMaskedOut = [], Windows = [], Timings = new() };
        Assert.Equal([1, 2, 3], e.Top.Select(s => s.Index));
        Assert.Equal(["b", "c", "d"], e.Top.Select(s => s.Label));
        Assert.Equal(1, e.ClassIndex);
        Assert.Equal("b", e.Label);
        Assert.Equal(0.3f, e.Probability);
    }

    private static readonly DeviceSelection Cpu = new(ExecutionDevice.Cpu, ExecutionDevice.Cpu, "test");

    private static Explanation Confident() => Result([0.97f, 0.01f, 0.01f, 0.01f], 0);

    private static Explanation Result(float[] probabilities, double aboveBand) => new(Labels, probabilities, 2)
    {
        Interpreter = InterpreterKind.LmacTd,
        Device = Cpu,
        SampleRate = 16000,
        ModelSampleRate = 16000,
        ExplanationWaveform = [],
        MaskedOutWaveform = [],
        ModelRateExplanation = [],
        ModelRateMaskedOut = [],
        Windows = [],
        Timings = new StageTimings(),
        AboveBandShare = aboveBand,
    };

    private static List<ExplanationWarning> Warnings(Explanation e, double seconds, double? declared, float peak) =>
        ExplanationAssembly.Warnings(e, seconds, declared, peak, 8000);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static ExplanationWarning Single(List<ExplanationWarning> warnings, WarningKind kind) => Assert.Single(warnings, w => w.Kind == kind);
}

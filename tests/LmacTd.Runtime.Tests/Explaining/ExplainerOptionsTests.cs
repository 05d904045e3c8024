using LmacTd.Runtime.Explaining;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Tests.Explaining;

/// <summary>The options' documented ranges, at their edges, and what the defaults are.</summary>
public class ExplainerOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones_and_valid()
    {
        var o = ExplainerOptions.Default;
        Assert.Null(o.Interpreter);
        Assert.Equal(5, o.TopK);
        Assert.Equal(0.5, o.WindowOverlap);
        Assert.Equal(8, o.MaxBatchSize);
        Assert.True(o.ComputeEvidence);
        Assert.True(o.KeepMaps);
        Assert.Equal(MetricConvention.Paper, o.MetricConvention);
        o.Validate();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    [InlineData(0.33)]
    public void Overlaps_from_0_to_0_9_are_accepted(double overlap) => new ExplainerOptions { WindowOverlap = overlap }.Validate();

    [Theory]
    [InlineData(-0.01)]
    [InlineData(0.9000001)]
    [InlineData(double.NaN)]
    public void Overlaps_outside_0_to_0_9_are_refused_with_the_value(double overlap)
    {
        var e = Assert.Throws<ArgumentException>(() => new ExplainerOptions { WindowOverlap = overlap }.Validate());
        Assert.Contains("WindowOverlap must be in [0, 0.9]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_class_and_batches_of_one_are_the_least_accepted()
    {
        new ExplainerOptions { TopK = 1, MaxBatchSize = 1 }.Validate();
        Assert.Contains("TopK must be at least 1, got 0",
            Assert.Throws<ArgumentException>(() => new ExplainerOptions { TopK = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize must be at least 1, got 0",
            Assert.Throws<ArgumentException>(() => new ExplainerOptions { MaxBatchSize = 0 }.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_conventions_interpreter_kinds_and_missing_inference_options_are_refused()
    {
        Assert.Contains("unknown metric convention",
            Assert.Throws<ArgumentException>(() => new ExplainerOptions { MetricConvention = (MetricConvention)7 }.Validate()).Message, StringComparison.Ordinal);
        new ExplainerOptions { MetricConvention = MetricConvention.SpeechBrain, Interpreter = InterpreterKind.LmacStft }.Validate();
        Assert.Contains("InterpreterKind.All",
            Assert.Throws<ArgumentException>(() => new ExplainerOptions { Interpreter = default(InterpreterKind) }.Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new ExplainerOptions { Inference = null! }.Validate());
    }
}

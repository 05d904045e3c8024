using LmacTd.Runtime.Explaining;

namespace LmacTd.Runtime.Tests;

/// <summary>
/// The library's public surface is what an embedding app needs, and no more: a type made public by accident (or one
/// that went internal and an app needs) shows up here. The command line, the tests and the benchmarks see internals.
/// </summary>
public class PublicApiTests
{
    private static readonly string[] Expected =
    [
        // The package and the explainer with its options.
        "Packages.ModelPackage", "Packages.InterpreterKind", "Explaining.Explainer", "Explaining.ExplainerOptions",
        "Inference.InferenceOptions", "Inference.ExecutionDevice", "Metrics.MetricConvention",
        // Results.
        "Explaining.Explanation", "Explaining.ExplainedWindow", "Explaining.ClassScore", "Explaining.RelevanceSegment",
        "Metrics.FaithfulnessMetrics", "Inference.DeviceSelection", "Explaining.ExplanationWarning", "Explaining.WarningKind",
        // Streaming.
        "Explaining.ExplanationStream", "Explaining.ExplanationChunk",
        // Audio in and out.
        "Audio.AudioClip", "Audio.AudioDecoder", "Audio.WavWriter",
        // What a caller catches.
        "Packages.ModelPackageException", "Audio.AudioFormatException", "Inference.InferenceException",
    ];

    [Fact]
    public void The_exported_types_are_the_embedding_api()
    {
        var exported = typeof(Explainer).Assembly.GetExportedTypes()
            .Select(t => t.FullName!["LmacTd.Runtime.".Length..]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Expected.Order(StringComparer.Ordinal), exported);
    }
}

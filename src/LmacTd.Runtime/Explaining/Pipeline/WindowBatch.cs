using System.Buffers;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// The buffers of up to <see cref="ExplainerOptions.MaxBatchSize"/> windows on their way through the graphs, rented for
/// one batch and given back on dispose (graph runs read and write them through shaped slices, so a longer rented
/// array is fine).
/// </summary>
internal sealed class WindowBatch : IDisposable
{
    public static readonly string[] RepresentationNames = ["rep6", "rep5", "rep4", "rep3"];

    private readonly List<float[]> _rented = [];

    public WindowBatch(PackageManifest manifest, int count, int[] maskShape, bool wantsEvidence)
    {
        WantsEvidence = wantsEvidence;
        Count = count;
        ClipSamples = manifest.ClipSamples;
        LogMelItem = manifest.FrontEnd.Frames * manifest.FrontEnd.NMels;
        Classes = manifest.LabelCount;
        MaskItem = maskShape.Aggregate(1, (a, b) => a * b);
        // Not cleared: ClipTimeline.CopyWindow writes every sample of a row, the zero padding included.
        Wave = Rent(count * ClipSamples);
        LogMel = Rent(count * LogMelItem);
        Logits = Rent(count * Classes);
        Representations = [.. RepresentationNames.Select(n => Rent(count * (int)manifest.Classifier.Output(n).ItemElements))];
        Explanation = Rent(count * ClipSamples);
        MaskedOut = Rent(count * ClipSamples);
        Mask = Rent(count * MaskItem);
    }

    public int Count { get; }

    /// <summary>Whether the evidence run follows (interpreters keep what it needs only then).</summary>
    public bool WantsEvidence { get; }

    public int ClipSamples { get; }

    public int LogMelItem { get; }

    public int Classes { get; }

    public int MaskItem { get; }

    public float[] Wave { get; }

    public float[] LogMel { get; }

    public float[] Logits { get; }

    public float[][] Representations { get; }

    public float[] Explanation { get; }

    public float[] MaskedOut { get; }

    public float[] Mask { get; }

    /// <summary>Scratch an interpreter keeps for the batch's evidence (given back in its <c>EndBatch</c>).</summary>
    public object? InterpreterScratch { get; set; }

    public Span<float> WaveRow(int row) => Wave.AsSpan(row * ClipSamples, ClipSamples);

    public Span<float> ExplanationRow(int row) => Explanation.AsSpan(row * ClipSamples, ClipSamples);

    public Span<float> MaskedOutRow(int row) => MaskedOut.AsSpan(row * ClipSamples, ClipSamples);

    public Span<float> MaskRow(int row) => Mask.AsSpan(row * MaskItem, MaskItem);

    public Span<float> LogitsRow(int row) => Logits.AsSpan(row * Classes, Classes);

    /// <summary>Rents an array of at least <paramref name="length"/> for the batch's lifetime.</summary>
    private float[] Rent(int length)
    {
        var a = ArrayPool<float>.Shared.Rent(length);
        _rented.Add(a);
        return a;
    }

    public void Dispose()
    {
        foreach (var a in _rented) ArrayPool<float>.Shared.Return(a);
        _rented.Clear();
    }
}

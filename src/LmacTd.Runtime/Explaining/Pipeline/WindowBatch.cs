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

    public WindowBatch(Layout layout, int count, bool wantsEvidence)
    {
        WantsEvidence = wantsEvidence;
        Count = count;
        ClipSamples = layout.ClipSamples;
        LogMelItem = layout.LogMelItem;
        Classes = layout.Classes;
        MaskItem = layout.MaskItem;
        // Not cleared: ClipTimeline.CopyWindow writes every sample of a row, the zero padding included.
        Wave = Rent(count * ClipSamples);
        LogMel = Rent(count * LogMelItem);
        Logits = Rent(count * Classes);
        Representations = new float[layout.RepresentationItems.Length][];
        for (int i = 0; i < Representations.Length; i++) Representations[i] = Rent(count * layout.RepresentationItems[i]);
        Explanation = Rent(count * ClipSamples);
        MaskedOut = Rent(count * ClipSamples);
        Mask = Rent(count * MaskItem);
        ClassifierInputs = [LogMel];
        ClassifierOutputs = [Logits, .. Representations];
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

    /// <summary>The classifier's input buffer (<see cref="LogMel"/>), as its run takes it.</summary>
    public float[][] ClassifierInputs { get; }

    /// <summary>The classifier's output buffers (<see cref="Logits"/>, then <see cref="Representations"/>), as its run takes them.</summary>
    public float[][] ClassifierOutputs { get; }

    /// <summary>Scratch an interpreter keeps for the batch's evidence (given back in its <c>EndBatch</c>).</summary>
    public object? InterpreterScratch { get; set; }

    public Span<float> WaveRow(int row) => Wave.AsSpan(row * ClipSamples, ClipSamples);

    public Span<float> ExplanationRow(int row) => Explanation.AsSpan(row * ClipSamples, ClipSamples);

    public Span<float> MaskedOutRow(int row) => MaskedOut.AsSpan(row * ClipSamples, ClipSamples);

    public Span<float> MaskRow(int row) => Mask.AsSpan(row * MaskItem, MaskItem);

    public Span<float> LogitsRow(int row) => Logits.AsSpan(row * Classes, Classes);

    /// <summary>The sizes of one window's buffers, worked out once per explainer (per batch, the lookups were garbage).</summary>
    internal sealed record Layout(int ClipSamples, int LogMelItem, int Classes, int MaskItem, int[] RepresentationItems)
    {
        public static Layout For(PackageManifest manifest, int[] maskShape) => new(manifest.ClipSamples,
            manifest.FrontEnd.Frames * manifest.FrontEnd.NMels, manifest.LabelCount, maskShape.Aggregate(1, (a, b) => a * b),
            [.. RepresentationNames.Select(n => (int)manifest.Classifier.Output(n).ItemElements)]);
    }

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

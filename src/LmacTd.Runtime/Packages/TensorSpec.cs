using System.Globalization;

namespace LmacTd.Runtime.Packages;

/// <summary>One named graph input or output: name, element type and shape.</summary>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="ElementType">The element type; <c>float32</c> in format 1.</param>
/// <param name="Shape">
/// The dimensions; <see cref="BatchDimension"/> marks the symbolic batch. Along a <see cref="FrameAxes"/> axis, the size
/// at the package's own frame count (<c>frontEnd.frames</c>), which the runtime feeds unless it says otherwise.
/// </param>
internal sealed record TensorSpec(string Name, string ElementType, IReadOnlyList<long> Shape)
{
    /// <summary>The value that stands for the symbolic <c>"batch"</c> dimension in <see cref="Shape"/>.</summary>
    public const long BatchDimension = -1;

    /// <summary>The name the manifest writes for the classifier's symbolic frame axis.</summary>
    public const string FramesName = "frames";

    /// <summary>
    /// Axes besides the batch that are symbolic in the graph because they follow the number of log-mel frames fed to
    /// the classifier (<c>"frames"</c> in the manifest's <c>logmel</c> shape): the log-mel's frame axis and the
    /// representations' time axis. Empty for a graph with every other dimension fixed.
    /// </summary>
    public IReadOnlyList<int> FrameAxes { get; init; } = [];

    /// <summary>Elements of one batch item (the product of the fixed dimensions, frame axes at their own size).</summary>
    public long ItemElements => Shape.Where(d => d != BatchDimension).Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape written as the manifest writes it, e.g. <c>[batch, 431, 80]</c> or <c>[batch, frames, 80]</c>.</summary>
    public string Formatted => Format(Shape, FrameAxes);

    /// <summary>The shape written as the manifest writes it, e.g. <c>[batch, 431, 80]</c>.</summary>
    public static string Format(IEnumerable<long> shape) => Format(shape, []);

    /// <summary>The shape with its <paramref name="frameAxes"/> written <c>frames</c>.</summary>
    public static string Format(IEnumerable<long> shape, IReadOnlyList<int> frameAxes) =>
        "[" + string.Join(", ", shape.Select((d, i) => d == BatchDimension ? "batch"
            : frameAxes.Contains(i) ? FramesName : d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc />
    public bool Equals(TensorSpec? other) =>
        other is not null && Name == other.Name && ElementType == other.ElementType && Shape.SequenceEqual(other.Shape)
        && FrameAxes.SequenceEqual(other.FrameAxes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, ElementType, Shape.Count, FrameAxes.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ElementType} {Formatted}";
}

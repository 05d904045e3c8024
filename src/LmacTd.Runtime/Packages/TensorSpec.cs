using System.Globalization;

namespace LmacTd.Runtime.Packages;

/// <summary>One named graph input or output: name, element type and shape.</summary>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="ElementType">The element type; <c>float32</c> in format 1.</param>
/// <param name="Shape">The dimensions; <see cref="BatchDimension"/> marks the symbolic batch.</param>
internal sealed record TensorSpec(string Name, string ElementType, IReadOnlyList<long> Shape)
{
    /// <summary>The value that stands for the symbolic <c>"batch"</c> dimension in <see cref="Shape"/>.</summary>
    public const long BatchDimension = -1;

    /// <summary>Elements of one batch item (the product of the fixed dimensions).</summary>
    public long ItemElements => Shape.Where(d => d != BatchDimension).Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape written as the manifest writes it, e.g. <c>[batch, 431, 80]</c>.</summary>
    public static string Format(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d == BatchDimension ? "batch" : d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc />
    public bool Equals(TensorSpec? other) =>
        other is not null && Name == other.Name && ElementType == other.ElementType && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, ElementType, Shape.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ElementType} {Format(Shape)}";
}

namespace LmacTd.Runtime.Packages;

/// <summary>An ONNX graph of the package: its file and its declared inputs and outputs.</summary>
/// <param name="File">The graph's file name inside the package folder.</param>
/// <param name="Inputs">The declared inputs, in manifest order.</param>
/// <param name="Outputs">The declared outputs, in manifest order.</param>
internal sealed record GraphSpec(string File, IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    /// <summary>The declared input called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such input.</exception>
    public TensorSpec Input(string name) => Inputs.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"{File} has no input '{name}'");

    /// <summary>The declared output called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such output.</exception>
    public TensorSpec Output(string name) => Outputs.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"{File} has no output '{name}'");
}

namespace LmacTd.Runtime.Inference;

/// <summary>
/// ONNX Runtime cannot open or run a graph: the device the options insist on (<see cref="ExecutionDevice.Cuda"/>)
/// cannot be used, no native ONNX Runtime library is present (thrown when an <c>Explainer</c> is made), or a run
/// failed (out of memory on the device, a kernel error). The message says which, and names the graph.
/// </summary>
public sealed class InferenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, one line.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InferenceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

namespace LmacTd.Runtime.Inference;

/// <summary>A graph failed while running (out of memory on the device, a kernel error); the message names the graph.</summary>
public sealed class InferenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, one line.</param>
    /// <param name="inner">The underlying ONNX Runtime error.</param>
    public InferenceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

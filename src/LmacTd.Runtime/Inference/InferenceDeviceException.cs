namespace LmacTd.Runtime.Inference;

/// <summary>The device the options insist on (<see cref="ExecutionDevice.Cuda"/>) cannot be used.</summary>
public sealed class InferenceDeviceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, one line.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InferenceDeviceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

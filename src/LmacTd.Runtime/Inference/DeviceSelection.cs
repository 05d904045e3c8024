namespace LmacTd.Runtime.Inference;

/// <summary>The device the graphs run on and why it was chosen.</summary>
/// <param name="Requested">What the options asked for.</param>
/// <param name="Device">What runs: <see cref="ExecutionDevice.Cpu"/> or <see cref="ExecutionDevice.Cuda"/>.</param>
/// <param name="Reason">One line: why this device (for Auto falling back, what failed on the way).</param>
public sealed record DeviceSelection(ExecutionDevice Requested, ExecutionDevice Device, string Reason)
{
    /// <summary>The device in lower case as the command line writes it (<c>cpu</c>, <c>cuda</c>).</summary>
    public string Name => Device.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Reason})";
}

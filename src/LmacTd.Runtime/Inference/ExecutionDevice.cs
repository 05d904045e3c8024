namespace LmacTd.Runtime.Inference;

/// <summary>Where the graphs run.</summary>
public enum ExecutionDevice
{
    /// <summary>Try CUDA, fall back to the CPU; the reason for the choice is reported.</summary>
    Auto,

    /// <summary>The CPU only.</summary>
    Cpu,

    /// <summary>CUDA only: a missing GPU or CUDA runtime is an error (<see cref="InferenceException"/>).</summary>
    Cuda,
}

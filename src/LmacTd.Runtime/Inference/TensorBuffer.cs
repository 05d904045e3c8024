namespace LmacTd.Runtime.Inference;

/// <summary>A float tensor as our own memory plus its shape; ONNX Runtime reads or writes it in place.</summary>
internal readonly record struct TensorBuffer(Memory<float> Data, long[] Shape)
{
    public static TensorBuffer Of(float[] data, params long[] shape) => new(data.AsMemory(), shape);
}

namespace LmacTd.Runtime.Inference;

/// <summary>How much ONNX Runtime may rewrite a graph before running it.</summary>
internal enum GraphOptimization
{
    /// <summary>No rewriting.</summary>
    None,

    /// <summary>Semantics-preserving rewrites such as constant folding.</summary>
    Basic,

    /// <summary>Basic plus node fusions.</summary>
    Extended,

    /// <summary>Everything, including layout changes (the default).</summary>
    All,
}

namespace LmacTd.Runtime.Metrics;

/// <summary>What the paper's contaminated evaluation sets mix into each clip.</summary>
internal enum ContaminationKind
{
    /// <summary>The clip as it is.</summary>
    None,

    /// <summary>Another clip of the set (of another class, where labels are known).</summary>
    Mixture,

    /// <summary>White Gaussian noise.</summary>
    Noise,

    /// <summary>A speech clip.</summary>
    Speech,
}

namespace LmacTd.Runtime.Packages;

/// <summary>The two interpreters a package may hold.</summary>
public enum InterpreterKind
{
    /// <summary>LMAC-TD: a time-domain mask over a learnt encoder, decoded to a waveform (<c>lmac-td</c>).</summary>
    LmacTd,

    /// <summary>L-MAC: a mask over the magnitude STFT, turned back with the input's phase (<c>lmac-stft</c>).</summary>
    LmacStft,
}

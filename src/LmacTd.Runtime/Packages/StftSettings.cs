namespace LmacTd.Runtime.Packages;

/// <summary>
/// A centred short-time Fourier transform as the contract defines it (step 4): periodic Hamming window of
/// <see cref="WinLength"/> samples zero-padded to <see cref="NFft"/>, hop <see cref="HopLength"/>,
/// <c>NFft/2</c> zeros on both sides, one-sided, magnitude <c>sqrt(re^2 + im^2 + eps)</c>.
/// </summary>
/// <param name="NFft">FFT size.</param>
/// <param name="WinLength">Window length in samples (at most <paramref name="NFft"/>).</param>
/// <param name="HopLength">Hop between frames in samples.</param>
/// <param name="MagnitudeEpsilon">The eps under the magnitude's square root.</param>
internal sealed record StftSettings(int NFft, int WinLength, int HopLength, double MagnitudeEpsilon)
{
    /// <summary>Number of one-sided frequency bins, <c>NFft/2 + 1</c>.</summary>
    public int Bins => NFft / 2 + 1;

    /// <summary>Frames of a centred STFT over <paramref name="samples"/> samples: <c>1 + samples / HopLength</c>.</summary>
    public int FramesFor(int samples) => 1 + samples / HopLength;

    /// <summary>Throws <see cref="ArgumentException"/> when the settings cannot describe an STFT.</summary>
    public void Validate()
    {
        if (NFft < 2 || (NFft & (NFft - 1)) != 0) throw new ArgumentException($"nFft must be a power of two, got {NFft}");
        if (WinLength < 1 || WinLength > NFft) throw new ArgumentException($"winLength must be in 1..nFft ({NFft}), got {WinLength}");
        if (HopLength < 1) throw new ArgumentException($"hopLength must be positive, got {HopLength}");
        if (!(MagnitudeEpsilon >= 0)) throw new ArgumentException($"magnitudeEpsilon must be >= 0, got {MagnitudeEpsilon}");
    }
}

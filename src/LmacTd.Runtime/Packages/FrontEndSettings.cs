namespace LmacTd.Runtime.Packages;

/// <summary>The classifier's log-mel front end (contract step 4).</summary>
/// <param name="SampleRate">Sample rate of the clip in Hz.</param>
/// <param name="Stft">The STFT under the filterbank.</param>
/// <param name="NMels">Number of HTK mel filters.</param>
/// <param name="FMin">Lowest filterbank frequency in Hz.</param>
/// <param name="FMax">Highest filterbank frequency in Hz.</param>
/// <param name="Frames">Frames of one clip (<c>1 + clipSamples / hopLength</c>).</param>
internal sealed record FrontEndSettings(int SampleRate, StftSettings Stft, int NMels, double FMin, double FMax, int Frames)
{
    /// <summary>Throws <see cref="ArgumentException"/> when the settings cannot describe a front end.</summary>
    public void Validate()
    {
        Stft.Validate();
        if (SampleRate <= 0) throw new ArgumentException($"sampleRate must be positive, got {SampleRate}");
        if (NMels < 1) throw new ArgumentException($"nMels must be positive, got {NMels}");
        if (!(FMin >= 0) || !(FMax > FMin) || FMax > SampleRate / 2.0)
            throw new ArgumentException($"need 0 <= fMin < fMax <= sampleRate/2, got fMin {FMin}, fMax {FMax}");
        if (Frames < 1) throw new ArgumentException($"frames must be positive, got {Frames}");
    }
}

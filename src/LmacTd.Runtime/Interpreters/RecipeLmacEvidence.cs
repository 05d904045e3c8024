using LmacTd.Runtime.Features;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// What the SpeechBrain recipe scores an L-MAC window on (<see cref="MetricConvention.SpeechBrain"/>): the map
/// <c>M * log1p |X|</c> over the mask's frames, and the log-mels of the masked-in and masked-out magnitudes
/// <c>expm1(M * log1p |X|)</c> and <c>expm1((1 - M) * log1p |X|)</c> at the mask's frames (the STFT's first 425 of
/// 431 for a 5 s clip), which the recipe classifies without padding. Holds scratch buffers: one per thread.
/// </summary>
internal sealed class RecipeLmacEvidence
{
    private readonly LmacStftSpec _spec;
    private readonly Stft _stft;
    private readonly LogMelExtractor _mel;
    private readonly float[] _re, _im, _inMag, _outMag;

    /// <summary>Prepares the evidence of <paramref name="spec"/>'s masks for a classifier with <paramref name="frontEnd"/>.</summary>
    /// <exception cref="ArgumentException">The interpreter's STFT is not the front end's (the recipe's masked spectrogram then has no log-mel).</exception>
    public RecipeLmacEvidence(LmacStftSpec spec, FrontEndSettings frontEnd, MelFilterbank filterbank)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(frontEnd);
        if (spec.Stft != frontEnd.Stft)
            throw new ArgumentException("the recipe's L-MAC evidence needs the interpreter's STFT to be the classifier front end's");
        if (spec.MaskBins != spec.Stft.Bins) throw new ArgumentException($"the mask has {spec.MaskBins} bins, the STFT {spec.Stft.Bins}");
        _spec = spec;
        _stft = new Stft(spec.Stft);
        _mel = new LogMelExtractor(frontEnd, filterbank);
        int bins = spec.Stft.Bins;
        _re = new float[bins];
        _im = new float[bins];
        _inMag = new float[spec.MaskFrames * bins];
        _outMag = new float[spec.MaskFrames * bins];
    }

    /// <summary>Frames the recipe classifies: the mask's.</summary>
    public int Frames => _spec.MaskFrames;

    /// <summary>
    /// The recipe's evidence of one window from the written formulas' <paramref name="paper"/> evidence: the map
    /// becomes <c>M * log1p |X|</c> (<c>[maskFrames, maskBins]</c>) and the convention
    /// <see cref="MetricConvention.SpeechBrain"/>. q and r stay those of the classifier at its own fixed frame count
    /// (the packages' graphs take 431: the mask's 425 masked rows, then rows of silence, exactly as
    /// <see cref="Process"/> pads them); the recipe's unpadded 425-frame run needs a classifier graph whose frame
    /// axis is symbolic, and then <see cref="Process"/>'s log-mels are what it classifies.
    /// </summary>
    /// <param name="paper">The evidence under the written formulas.</param>
    /// <param name="clip">The normalised window.</param>
    /// <param name="mask">Its mask.</param>
    /// <param name="map">Where the map goes (<c>maskFrames * maskBins</c> values, every one written); it becomes the result's.</param>
    public FaithfulnessEvidence Evidence(FaithfulnessEvidence paper, ReadOnlySpan<float> clip, ReadOnlySpan<float> mask, float[] map)
    {
        ArgumentNullException.ThrowIfNull(paper);
        ArgumentNullException.ThrowIfNull(map);
        if (map.Length != _spec.MaskFrames * _spec.MaskBins) throw new ArgumentException($"the map needs {_spec.MaskFrames * _spec.MaskBins} values", nameof(map));
        Process(clip, mask, map, Span<float>.Empty, Span<float>.Empty);
        return new FaithfulnessEvidence(paper.P, paper.Q, paper.R, paper.LogitsExplanation, paper.LogitsMaskedOut, map, [_spec.MaskFrames, _spec.MaskBins])
        {
            Convention = MetricConvention.SpeechBrain,
        };
    }

    /// <summary>
    /// Computes, for one normalised window <paramref name="clip"/> (a whole clip) and its <paramref name="mask"/>
    /// (<c>[maskFrames, maskBins]</c>), the map into <paramref name="map"/> (<c>[maskFrames, maskBins]</c>) and the
    /// log-mels into <paramref name="logmelIn"/> and <paramref name="logmelOut"/> (<c>[rows, nMels]</c>, rows at
    /// least <see cref="Frames"/>; rows past <see cref="Frames"/> are set to 0, the log-mel of a silent frame, for
    /// a classifier graph that takes only its own fixed frame count); both empty to compute the map alone.
    /// </summary>
    public void Process(ReadOnlySpan<float> clip, ReadOnlySpan<float> mask, Span<float> map, Span<float> logmelIn, Span<float> logmelOut)
    {
        int frames = _spec.MaskFrames, bins = _spec.Stft.Bins, mels = _mel.Settings.NMels;
        if (mask.Length < frames * bins || map.Length < frames * bins) throw new ArgumentException($"the mask and the map need {frames * bins} values");
        bool mel = !logmelIn.IsEmpty || !logmelOut.IsEmpty;
        if (mel && (logmelIn.Length < frames * mels || logmelOut.Length < frames * mels)) throw new ArgumentException($"the log-mels need at least {frames * mels} values");
        if (_stft.FrameCount(clip.Length) < frames) throw new ArgumentException($"the clip has fewer than {frames} STFT frames");
        double eps = _spec.Stft.MagnitudeEpsilon;
        for (int t = 0; t < frames; t++)
        {
            _stft.ProcessFrame(clip, t, _re, _im);
            for (int k = 0; k < bins; k++)
            {
                int i = (t * bins) + k;
                // The same eps-magnitude and rounding as the listenable reconstruction (LmacStftReconstruction).
                double re = _re[k], im = _im[k];
                double logMag = Math.Log(1 + Math.Sqrt((re * re) + (im * im) + eps));
                double m = mask[i];
                map[i] = (float)(m * logMag);
                if (!mel) continue;
                _inMag[i] = (float)(Math.Exp(m * logMag) - 1);
                _outMag[i] = (float)(Math.Exp((1 - m) * logMag) - 1);
            }
        }

        if (!mel) return;
        _mel.ProcessMagnitudes(_inMag, frames, logmelIn);
        _mel.ProcessMagnitudes(_outMag, frames, logmelOut);
        logmelIn[(frames * mels)..].Clear();
        logmelOut[(frames * mels)..].Clear();
    }
}

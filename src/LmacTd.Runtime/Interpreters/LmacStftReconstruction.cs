using LmacTd.Runtime.Features;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// L-MAC's listenable outputs (contract step 7): the mask, extended with zeros to every STFT frame, scales
/// <c>log1p |X|</c>; <c>expm1</c> of that gives the masked-in magnitude (and of <c>(1 - M) log1p |X|</c> the masked-out
/// one), which takes the input's phase and goes back through the inverse STFT. Holds scratch buffers: one per thread.
/// </summary>
internal sealed class LmacStftReconstruction
{
    private readonly LmacStftSpec _spec;
    private readonly Stft _stft;
    private readonly InverseStft _istft;
    private readonly float[] _re, _im, _inRe, _inIm, _outRe, _outIm;
    private readonly int _frames;

    public LmacStftReconstruction(LmacStftSpec spec, int clipSamples)
    {
        _spec = spec;
        _stft = new Stft(spec.Stft);
        _istft = new InverseStft(spec.Stft);
        _frames = spec.Stft.FramesFor(clipSamples);
        int n = _frames * spec.Stft.Bins;
        _re = new float[n];
        _im = new float[n];
        _inRe = new float[n];
        _inIm = new float[n];
        _outRe = new float[n];
        _outIm = new float[n];
    }

    /// <summary>Frames of the STFT over one clip.</summary>
    public int Frames => _frames;

    /// <summary>
    /// Rebuilds the explanation and masked-out waveforms of <paramref name="clip"/> under <paramref name="mask"/>
    /// (<c>[maskFrames, maskBins]</c>); the masked magnitudes go to <paramref name="inMagnitude"/> and
    /// <paramref name="outMagnitude"/> (<c>[Frames, bins]</c>) when those are not empty.
    /// </summary>
    public void Process(ReadOnlySpan<float> clip, ReadOnlySpan<float> mask, Span<float> explanation, Span<float> maskedOut,
        Span<float> inMagnitude, Span<float> outMagnitude)
    {
        int bins = _spec.Stft.Bins;
        double eps = _spec.Stft.MagnitudeEpsilon;
        _stft.Process(clip, _re, _im);
        for (int t = 0; t < _frames; t++)
        {
            for (int k = 0; k < bins; k++)
            {
                int i = t * bins + k;
                double re = _re[i], im = _im[i];
                double mag = Math.Sqrt(re * re + im * im + eps);
                double logMag = Math.Log(1 + mag);
                double m = t < _spec.MaskFrames ? mask[t * _spec.MaskBins + k] : 0;
                double magIn = Math.Exp(m * logMag) - 1;
                double magOut = Math.Exp((1 - m) * logMag) - 1;
                // The input's phase, X / |X| with the eps-magnitude, so silence gives zero rather than NaN.
                double cos = re / mag, sin = im / mag;
                _inRe[i] = (float)(magIn * cos);
                _inIm[i] = (float)(magIn * sin);
                _outRe[i] = (float)(magOut * cos);
                _outIm[i] = (float)(magOut * sin);
                if (!inMagnitude.IsEmpty)
                {
                    inMagnitude[i] = (float)magIn;
                    outMagnitude[i] = (float)magOut;
                }
            }
        }

        _istft.Process(_inRe, _inIm, _frames, explanation);
        _istft.Process(_outRe, _outIm, _frames, maskedOut);
    }
}

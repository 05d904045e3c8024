using System.Buffers;
using System.Collections.Concurrent;
using LmacTd.Runtime.Explaining.Pipeline;
using LmacTd.Runtime.Features;
using LmacTd.Runtime.Metrics;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Interpreters;

/// <summary>
/// What the SpeechBrain recipe scores an L-MAC window on (<see cref="MetricConvention.SpeechBrain"/>): the map
/// <c>M * log1p |X|</c> over the mask's frames, and the classifier on the log-mels of the masked-in and masked-out
/// magnitudes <c>expm1(M * log1p |X|)</c> and <c>expm1((1 - M) * log1p |X|)</c> at the mask's frames (the STFT's first
/// 425 of 431 for a 5 s clip), without padding. That last run needs a classifier graph whose frame axis is symbolic
/// (<c>"frames"</c> in the manifest); with one of a fixed frame count, q and r stay the written formulas' (contract
/// step 7: the mask extended with zeros to the STFT's frames, so the masked-in signal is silent past the mask's
/// frames and the masked-out one keeps <c>|X|</c> there). Thread-safe: each call takes its own scratch.
/// </summary>
internal sealed class RecipeLmacEvidence
{
    private readonly LmacStftSpec _spec;
    private readonly FrontEndSettings _frontEnd;
    private readonly MelFilterbank _filterbank;
    private readonly ConcurrentBag<Scratch> _scratch = [];

    /// <summary>Prepares the evidence of <paramref name="spec"/>'s masks for a classifier with <paramref name="frontEnd"/>.</summary>
    /// <exception cref="ArgumentException">The interpreter's STFT is not the front end's (the recipe's masked spectrogram then has no log-mel).</exception>
    public RecipeLmacEvidence(LmacStftSpec spec, FrontEndSettings frontEnd, MelFilterbank filterbank)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(filterbank);
        if (spec.Stft != frontEnd.Stft)
            throw new ArgumentException("the recipe's L-MAC evidence needs the interpreter's STFT to be the classifier front end's");
        if (spec.MaskBins != spec.Stft.Bins) throw new ArgumentException($"the mask has {spec.MaskBins} bins, the STFT {spec.Stft.Bins}");
        _spec = spec;
        _frontEnd = frontEnd;
        _filterbank = filterbank;
    }

    /// <summary>Frames the recipe classifies: the mask's.</summary>
    public int Frames => _spec.MaskFrames;

    /// <summary>
    /// Replaces each row's written-formula <paramref name="evidence"/> with the recipe's: the map <c>M * log1p |X|</c>
    /// (<c>[maskFrames, maskBins]</c>) and, when <paramref name="classifier"/> takes any frame count, q and r from one
    /// bounded-batch run of it over the rows' <see cref="Process"/> log-mels (masked-in rows, then masked-out rows).
    /// </summary>
    /// <param name="batch">The batch, its waveforms and masks.</param>
    /// <param name="evidence">Each row's evidence under the written formulas, replaced by the recipe's.</param>
    /// <param name="classifier">The classifier, for the unpadded run.</param>
    /// <param name="maps">One array per row for its map (<c>maskFrames * maskBins</c> values, every one written); each becomes its row's.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public void Evidence(WindowBatch batch, FaithfulnessEvidence[] evidence, EvidenceClassifier classifier, float[][] maps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(maps);
        int n = batch.Count, item = Frames * _frontEnd.NMels, classes = batch.Classes;
        if (maps.Length < n || maps.Take(n).Any(m => m.Length != _spec.MaskFrames * _spec.MaskBins))
            throw new ArgumentException($"need {n} maps of {_spec.MaskFrames * _spec.MaskBins} values", nameof(maps));
        bool unpadded = classifier.TakesAnyFrames;
        var mel2 = unpadded ? ArrayPool<float>.Shared.Rent(2 * n * item) : null;
        try
        {
            // Each window's STFT and two log-mels are independent: spread them over the cores, as the evidence's front ends are.
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, () => 0, (r, _, none) =>
            {
                Process(batch.WaveRow(r), batch.MaskRow(r), maps[r],
                    mel2 is null ? Span<float>.Empty : mel2.AsSpan(r * item, item),
                    mel2 is null ? Span<float>.Empty : mel2.AsSpan((n + r) * item, item));
                return none;
            }, _ => { });
            float[]? logits2 = null;
            if (mel2 is not null)
            {
                logits2 = new float[2 * n * classes];
                classifier.Run(mel2, 2 * n, Frames, logits2, cancellationToken);
            }

            for (int r = 0; r < n; r++)
            {
                var paper = evidence[r];
                var lq = logits2?.AsSpan(r * classes, classes).ToArray() ?? paper.LogitsExplanation;
                var lr = logits2?.AsSpan((n + r) * classes, classes).ToArray() ?? paper.LogitsMaskedOut;
                evidence[r] = new FaithfulnessEvidence(paper.P, logits2 is null ? paper.Q : Softmax.Of(lq), logits2 is null ? paper.R : Softmax.Of(lr),
                    lq, lr, maps[r], [_spec.MaskFrames, _spec.MaskBins])
                {
                    Convention = MetricConvention.SpeechBrain,
                };
            }
        }
        finally
        {
            if (mel2 is not null) ArrayPool<float>.Shared.Return(mel2);
        }
    }

    /// <summary>
    /// Computes, for one normalised window <paramref name="clip"/> (a whole clip) and its <paramref name="mask"/>
    /// (<c>[maskFrames, maskBins]</c>), the map into <paramref name="map"/> (<c>[maskFrames, maskBins]</c>) and the
    /// log-mels of the masked-in and masked-out magnitudes into <paramref name="logmelIn"/> and
    /// <paramref name="logmelOut"/> (<c>[Frames, nMels]</c>, the first <c>Frames * nMels</c> values); both empty to
    /// compute the map alone.
    /// </summary>
    public void Process(ReadOnlySpan<float> clip, ReadOnlySpan<float> mask, Span<float> map, Span<float> logmelIn, Span<float> logmelOut)
    {
        int frames = _spec.MaskFrames, bins = _spec.Stft.Bins, mels = _frontEnd.NMels;
        if (mask.Length < frames * bins || map.Length < frames * bins) throw new ArgumentException($"the mask and the map need {frames * bins} values");
        bool mel = !logmelIn.IsEmpty || !logmelOut.IsEmpty;
        if (mel && (logmelIn.Length < frames * mels || logmelOut.Length < frames * mels)) throw new ArgumentException($"the log-mels need {frames * mels} values");
        if (_spec.Stft.FramesFor(clip.Length) < frames) throw new ArgumentException($"the clip has fewer than {frames} STFT frames");
        if (!_scratch.TryTake(out var s)) s = new Scratch(_spec, _frontEnd, _filterbank);
        try
        {
            double eps = _spec.Stft.MagnitudeEpsilon;
            for (int t = 0; t < frames; t++)
            {
                s.Stft.ProcessFrame(clip, t, s.Re, s.Im);
                for (int k = 0; k < bins; k++)
                {
                    int i = (t * bins) + k;
                    // The same eps-magnitude and rounding as the listenable reconstruction (LmacStftReconstruction).
                    double re = s.Re[k], im = s.Im[k];
                    double logMag = Math.Log(1 + Math.Sqrt((re * re) + (im * im) + eps));
                    double m = mask[i];
                    map[i] = (float)(m * logMag);
                    if (!mel) continue;
                    s.InMag[i] = (float)(Math.Exp(m * logMag) - 1);
                    s.OutMag[i] = (float)(Math.Exp((1 - m) * logMag) - 1);
                }
            }

            if (!mel) return;
            s.Mel.ProcessMagnitudes(s.InMag, frames, logmelIn);
            s.Mel.ProcessMagnitudes(s.OutMag, frames, logmelOut);
        }
        finally
        {
            _scratch.Add(s);
        }
    }

    // One call's buffers (the masked magnitudes are 1.7 MB a window): kept for the next call.
    private sealed class Scratch(LmacStftSpec spec, FrontEndSettings frontEnd, MelFilterbank filterbank)
    {
        public Stft Stft { get; } = new(spec.Stft);

        public LogMelExtractor Mel { get; } = new(frontEnd, filterbank);

        public float[] Re { get; } = new float[spec.Stft.Bins];

        public float[] Im { get; } = new float[spec.Stft.Bins];

        public float[] InMag { get; } = new float[spec.MaskFrames * spec.Stft.Bins];

        public float[] OutMag { get; } = new float[spec.MaskFrames * spec.Stft.Bins];
    }
}

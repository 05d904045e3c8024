namespace LmacTd.Runtime.Explaining;

/// <summary>
/// How much of the input the explanation keeps, over time: per hop of <see cref="HopSeconds"/> (10 ms, rounded to
/// whole samples of the input's rate) on the input's own timeline, the share of the input's energy that the
/// explanation waveform holds, in [0, 1]. Value <c>k</c> covers <c>[k * HopSeconds, (k + 1) * HopSeconds)</c>;
/// there are <c>ceil(samples / hop)</c> values, so the curve spans the whole input whatever its rate.
/// </summary>
/// <remarks>
/// <para>Definition: for hop <c>k</c>, <c>min(1, E_expl(k) / E_in(k))</c>, where <c>E</c> is the sum of squares over
/// a 20 ms window centred on the hop (the hop and half a hop either side), of the explanation waveform and of the
/// input's mono mix, both at the input's rate and level (every window of long input already overlap-added). Hops
/// whose input energy lies below a silence floor (60 dB under the loudest hop, or below -100 dBFS) score 0.</para>
/// <para>Why this form: the explanation is what the classifier listened to, so the part of the input it reproduces
/// is the natural "how much mattered here". The ratio is taken to the input, not to explanation plus masked-out,
/// so that a decoder which adds energy of its own where the input has little cannot make a quiet stretch look
/// relevant; the clamp at 1 keeps a decoder's small overshoot from reading as "more than all of it"; the silence
/// floor keeps the ratio of two near-zero numbers (pure noise) out of the curve; the 20 ms window smooths the few
/// milliseconds by which the decoder and the resampler smear energy across a hop boundary.</para>
/// <para><see cref="Segments"/> are the maximal runs of hops at or above <see cref="Threshold"/> (0.5: the
/// explanation keeps at least half the input's energy there), with gaps shorter than 100 ms bridged (a ring's or a
/// word's short pauses do not split it) and runs shorter than 20 ms (two hops) dropped, sorted by mean score, highest first.</para>
/// </remarks>
internal sealed class TimeRelevance
{
    /// <summary>The nominal hop in seconds; <see cref="HopSeconds"/> is it rounded to whole samples.</summary>
    public const double NominalHopSeconds = 0.010;

    /// <summary>The score at or above which a hop belongs to a segment.</summary>
    public const double Threshold = 0.5;

    /// <summary>Gaps below the threshold shorter than this are bridged when segments are found.</summary>
    public const double MaxGapSeconds = 0.100;

    /// <summary>Segments shorter than this are dropped.</summary>
    public const double MinSegmentSeconds = 0.020;

    /// <summary>Hops whose input energy is this far (dB) below the loudest hop's count as silence.</summary>
    public const double SilenceFloorDb = 60;

    // -100 dBFS of mean square: below it a hop is silent whatever the loudest hop is.
    private const double AbsoluteFloorMeanSquare = 1e-10;

    internal TimeRelevance(int hopSamples, int sampleRate, float[] values)
    {
        HopSamples = hopSamples;
        SampleRate = sampleRate;
        Values = values;
        Segments = FindSegments(values, (double)hopSamples / sampleRate);
    }

    /// <summary>Samples of the input per hop.</summary>
    public int HopSamples { get; }

    /// <summary>The input's sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Seconds per hop (<see cref="HopSamples"/> / <see cref="SampleRate"/>).</summary>
    public double HopSeconds => (double)HopSamples / SampleRate;

    /// <summary>One score in [0, 1] per hop, in time order.</summary>
    public IReadOnlyList<float> Values { get; }

    /// <summary>The stretches at or above <see cref="Threshold"/>, highest mean score first.</summary>
    public IReadOnlyList<RelevanceSegment> Segments { get; }

    /// <summary>Computes the curve of an input and its explanation (same rate and length).</summary>
    internal static TimeRelevance Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> explanation, int sampleRate)
    {
        if (input.Length != explanation.Length)
            throw new ArgumentException($"input has {input.Length} samples but the explanation {explanation.Length}");
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        int hop = Math.Max(1, (int)Math.Round(sampleRate * NominalHopSeconds));
        int count = (input.Length + hop - 1) / hop;
        var inEnergy = new double[count];
        var explEnergy = new double[count];
        var windowLength = new int[count];
        for (int k = 0; k < count; k++)
        {
            int from = Math.Max(0, k * hop - hop / 2);
            int to = Math.Min(input.Length, (k + 1) * hop + hop / 2);
            windowLength[k] = to - from;
            inEnergy[k] = SumOfSquares(input[from..to]);
            explEnergy[k] = SumOfSquares(explanation[from..to]);
        }

        return FromEnergies(hop, sampleRate, inEnergy, explEnergy, windowLength);
    }

    /// <summary>
    /// The curve from each hop's sums of squares of the input and the explanation over its window and the window's
    /// length: <see cref="Compute"/>'s last step, and that of a summary whose sums were taken piece by piece.
    /// </summary>
    internal static TimeRelevance FromEnergies(int hop, int sampleRate, IReadOnlyList<double> inEnergy, IReadOnlyList<double> explEnergy,
        IReadOnlyList<int> windowLength)
    {
        int count = inEnergy.Count;
        double loudest = 0;
        for (int k = 0; k < count; k++) loudest = Math.Max(loudest, inEnergy[k] / windowLength[k]);
        double floor = Math.Max(AbsoluteFloorMeanSquare, loudest * Math.Pow(10, -SilenceFloorDb / 10));
        var values = new float[count];
        for (int k = 0; k < count; k++)
        {
            if (inEnergy[k] / windowLength[k] < floor) continue;
            values[k] = (float)Math.Min(1.0, explEnergy[k] / inEnergy[k]);
        }

        return new TimeRelevance(hop, sampleRate, values);
    }

    private static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x) s += (double)v * v;
        return s;
    }

    internal static RelevanceSegment[] FindSegments(float[] values, double hopSeconds)
    {
        int maxGap = (int)Math.Round(MaxGapSeconds / hopSeconds);
        int minRun = Math.Max(1, (int)Math.Round(MinSegmentSeconds / hopSeconds));
        var runs = new List<(int Start, int End)>();
        for (int k = 0; k < values.Length;)
        {
            if (values[k] < Threshold)
            {
                k++;
                continue;
            }

            int end = k;
            while (end < values.Length && values[end] >= Threshold) end++;
            if (runs.Count > 0 && k - runs[^1].End < maxGap) runs[^1] = (runs[^1].Start, end);
            else runs.Add((k, end));
            k = end;
        }

        return [.. runs.Where(r => r.End - r.Start >= minRun)
            .Select(r => new RelevanceSegment(r.Start * hopSeconds, r.End * hopSeconds, Mean(values, r.Start, r.End)))
            .OrderByDescending(s => s.MeanScore).ThenBy(s => s.StartSeconds)];
    }

    private static double Mean(float[] values, int from, int to)
    {
        double s = 0;
        for (int k = from; k < to; k++) s += values[k];
        return s / (to - from);
    }
}

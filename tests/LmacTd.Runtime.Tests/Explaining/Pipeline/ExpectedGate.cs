namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// What a per-window time gate becomes over a whole clip, computed from the design's stated rules rather than the
/// pipeline's code: windows of one clip every <c>clip * (1 - overlap)</c> samples and a last one flush with the end
/// (one zero-padded window for audio no longer than a clip), overlap-added with the raised-cosine weight
/// <c>0.5 - 0.5 cos(2 pi (n + 0.5) / clip)</c> and normalised by the summed weights.
/// </summary>
internal sealed class ExpectedGate
{
    private readonly double[] _gain;

    public ExpectedGate(int modelLength, int clip, double overlap, int gateFrom, int gateTo)
    {
        var starts = new List<int>();
        if (modelLength <= clip)
        {
            starts.Add(0);
        }
        else
        {
            int hop = clip - (int)Math.Round(overlap * clip);
            for (int s = 0; s + clip < modelLength; s += hop) starts.Add(s);
            starts.Add(modelLength - clip);
        }

        Starts = [.. starts];
        _gain = new double[modelLength];
        var weights = new double[modelLength];
        foreach (int s in starts)
        {
            for (int n = s; n < Math.Min(modelLength, s + clip); n++)
            {
                int k = n - s;
                double w = starts.Count == 1 ? 1 : 0.5 - 0.5 * Math.Cos(2 * Math.PI * (k + 0.5) / clip);
                weights[n] += w;
                _gain[n] += k >= gateFrom && k < gateTo ? w : 0;
            }
        }

        for (int n = 0; n < modelLength; n++) _gain[n] = weights[n] > 0 ? _gain[n] / weights[n] : 0;
        Edges = [.. starts.SelectMany(s => new[] { s + gateFrom, s + gateTo }).Where(e => e > 0 && e < modelLength).Order()];
    }

    /// <summary>The windows' starts at the model's rate.</summary>
    public int[] Starts { get; }

    /// <summary>Where some window's gate opens or closes, at the model's rate, in order: the gain jumps there.</summary>
    public int[] Edges { get; }

    /// <summary>The share of the signal kept at model-rate sample <paramref name="n"/>.</summary>
    public double At(int n) => _gain[n];

    /// <summary>The share kept at a time between samples (linear: away from the edges the gain is smooth).</summary>
    public double At(double modelPosition)
    {
        int n = (int)Math.Floor(modelPosition);
        if (n < 0) return _gain[0];
        if (n >= _gain.Length - 1) return _gain[^1];
        double f = modelPosition - n;
        return (1 - f) * _gain[n] + f * _gain[n + 1];
    }

    /// <summary>Whether a model-rate position lies within <paramref name="reach"/> samples of a jump.</summary>
    public bool NearEdge(double modelPosition, double reach)
    {
        // The first edge at or after the position, and the one before it, are the nearest.
        int i = Array.BinarySearch(Edges, (int)Math.Ceiling(modelPosition));
        if (i < 0) i = ~i;
        return (i < Edges.Length && Edges[i] - modelPosition <= reach) || (i > 0 && modelPosition - Edges[i - 1] <= reach);
    }
}

using LmacTd.Runtime.Audio;
namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// The per-hop energies of <see cref="TimeRelevance"/> taken from a signal that arrives in pieces: hop <c>k</c> sums the
/// squares over <c>[k * hop - hop / 2, (k + 1) * hop + hop / 2)</c> (clipped to the signal), in the same order as
/// <see cref="TimeRelevance.Compute"/>, so the sums are the same to the bit. Only the samples of one hop's window are kept.
/// </summary>
internal sealed class HopEnergies(int hop)
{
    private readonly SlidingBuffer _held = new();
    private readonly List<double> _sums = [];
    private readonly List<int> _lengths = [];

    /// <summary>Energy of each finished hop's window, in order.</summary>
    public IReadOnlyList<double> Sums => _sums;

    /// <summary>Samples in each finished hop's window.</summary>
    public IReadOnlyList<int> Lengths => _lengths;

    /// <summary>Takes the next samples; finishes every hop whose window they complete.</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        _held.Append(samples);
        while ((long)(_sums.Count + 1) * hop + hop / 2 <= _held.End) Finish(_held.End);
    }

    /// <summary>Ends the signal at <paramref name="length"/> samples: finishes the remaining hops (<c>ceil(length / hop)</c> in all).</summary>
    public void Complete(long length)
    {
        long count = (length + hop - 1) / hop;
        while (_sums.Count < count) Finish(length);
    }

    private void Finish(long end)
    {
        long k = _sums.Count;
        long from = Math.Max(0, k * hop - hop / 2);
        long to = Math.Min(end, (k + 1) * hop + hop / 2);
        double s = 0;
        foreach (var v in _held.Slice(from, (int)(to - from))) s += (double)v * v;
        _sums.Add(s);
        _lengths.Add((int)(to - from));
        _held.TrimBefore((k + 1) * hop - hop / 2);
    }
}

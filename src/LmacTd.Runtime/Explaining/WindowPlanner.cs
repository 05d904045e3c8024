namespace LmacTd.Runtime.Explaining;

/// <summary>Cuts long audio into overlapping clip-sized windows and weighs them for overlap-add.</summary>
internal static class WindowPlanner
{
    /// <summary>
    /// Windows of <paramref name="clip"/> samples over <paramref name="length"/> samples, starting every
    /// <c>clip * (1 - overlap)</c> samples, the last one flush with the end. Audio no longer than a clip is one window.
    /// </summary>
    public static (int Start, int Length)[] Plan(int length, int clip, double overlap)
    {
        if (length <= clip) return [(0, length)];
        int hop = Math.Max(1, clip - (int)Math.Round(overlap * clip));
        var windows = new List<(int, int)>();
        int start = 0;
        for (; start + clip < length; start += hop) windows.Add((start, clip));
        windows.Add((length - clip, clip));
        return [.. windows];
    }

    /// <summary>
    /// Overlap-add weight of sample <paramref name="n"/> of a window of <paramref name="length"/> samples: a raised
    /// cosine that never reaches zero, so the normalised sum is defined everywhere a window reaches.
    /// </summary>
    public static double Weight(int n, int length) => 0.5 - 0.5 * Math.Cos(2 * Math.PI * (n + 0.5) / length);

    // The last length's table: every window of long audio has the package's clip length, so one entry serves a
    // whole explainer (80 000 cosines a window otherwise, per window). Read-only once published.
    private static double[] s_weights = [];

    /// <summary>Every <see cref="Weight"/> of a window of <paramref name="length"/> samples (one shared, read-only table).</summary>
    public static ReadOnlySpan<double> Weights(int length)
    {
        var table = Volatile.Read(ref s_weights);
        if (table.Length == length) return table;
        table = new double[length];
        for (int n = 0; n < length; n++) table[n] = Weight(n, length);
        Volatile.Write(ref s_weights, table);
        return table;
    }
}

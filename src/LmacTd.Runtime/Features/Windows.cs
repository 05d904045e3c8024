namespace LmacTd.Runtime.Features;

/// <summary>Analysis windows of the contract.</summary>
internal static class Windows
{
    /// <summary>
    /// The periodic Hamming window <c>0.54 - 0.46 cos(2 pi n / length)</c>, n = 0..length-1, centred in a frame of
    /// <paramref name="frameLength"/> samples with zeros around it (left offset <c>(frameLength - length) / 2</c>).
    /// </summary>
    public static float[] HammingPeriodic(int length, int frameLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameLength, length);
        var w = new float[frameLength];
        int offset = (frameLength - length) / 2;
        for (int n = 0; n < length; n++) w[offset + n] = (float)(0.54 - 0.46 * Math.Cos(2 * Math.PI * n / length));
        return w;
    }

    /// <summary>The same window as <see cref="HammingPeriodic"/> in double precision.</summary>
    public static double[] HammingPeriodicDouble(int length, int frameLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameLength, length);
        var w = new double[frameLength];
        int offset = (frameLength - length) / 2;
        for (int n = 0; n < length; n++) w[offset + n] = 0.54 - 0.46 * Math.Cos(2 * Math.PI * n / length);
        return w;
    }
}

namespace LmacTd.Runtime.Audio;

/// <summary>
/// The sample rates and channel counts the decoder accepts. Checked on the header, before any sample is
/// read: a file claiming 7 Hz or thousands of channels would otherwise drive the resampler and the
/// downmix into minutes of work and gigabytes of memory for a few kilobytes of input.
/// </summary>
internal static class AudioLimits
{
    /// <summary>Lowest accepted sample rate in Hz (below it no real recording exists).</summary>
    public const int MinSampleRate = 1_000;

    /// <summary>Highest accepted sample rate in Hz (the top rate of professional converters).</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>Most channels accepted (beyond any production layout; 22.2 has 24).</summary>
    public const int MaxChannels = 32;

    /// <summary>Throws an <see cref="AudioFormatException"/> naming <paramref name="file"/> and the value when the header is out of range.</summary>
    public static void Check(string file, long sampleRate, long channels)
    {
        if (channels < 1) throw new AudioFormatException(file, $"invalid header: {channels} channels");
        if (channels > MaxChannels)
            throw new AudioFormatException(file, $"{channels} channels, more than the {MaxChannels} supported");
        if (sampleRate is < MinSampleRate or > MaxSampleRate)
            throw new AudioFormatException(file, $"sample rate {sampleRate} Hz is outside the supported {MinSampleRate}-{MaxSampleRate} Hz");
    }
}

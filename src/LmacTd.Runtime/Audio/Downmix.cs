namespace LmacTd.Runtime.Audio;

/// <summary>Averages interleaved channels to mono, as the contract's step 1 does.</summary>
internal static class Downmix
{
    /// <summary>Averages <paramref name="channels"/> interleaved channels into <paramref name="mono"/>.</summary>
    /// <param name="interleaved">Frames of <paramref name="channels"/> samples each.</param>
    /// <param name="channels">Channel count, at least 1.</param>
    /// <param name="mono">Receives <c>interleaved.Length / channels</c> samples.</param>
    public static void ToMono(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        int frames = interleaved.Length / channels;
        if (mono.Length < frames) throw new ArgumentException($"mono needs {frames} samples, has {mono.Length}", nameof(mono));
        if (channels == 1)
        {
            interleaved[..frames].CopyTo(mono);
            return;
        }

        float scale = 1f / channels;
        for (int f = 0, i = 0; f < frames; f++)
        {
            float sum = 0;
            for (int c = 0; c < channels; c++) sum += interleaved[i++];
            mono[f] = sum * scale;
        }
    }

    /// <summary>Averages <paramref name="channels"/> interleaved channels into a new mono array.</summary>
    public static float[] ToMono(ReadOnlySpan<float> interleaved, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var mono = new float[interleaved.Length / channels];
        ToMono(interleaved, channels, mono);
        return mono;
    }
}

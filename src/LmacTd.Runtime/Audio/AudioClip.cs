namespace LmacTd.Runtime.Audio;

/// <summary>Mono audio at a known sample rate: what the decoder gives and what the explainer takes.</summary>
public sealed class AudioClip
{
    /// <summary>Wraps mono samples (not copied).</summary>
    /// <param name="samples">Mono samples, nominally in [-1, 1].</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="sourceChannels">Channels of the source before downmixing.</param>
    /// <param name="source">Where the clip came from (a path), for messages.</param>
    public AudioClip(float[] samples, int sampleRate, int sourceChannels = 1, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceChannels, 1);
        Samples = samples;
        SampleRate = sampleRate;
        SourceChannels = sourceChannels;
        Source = source;
    }

    /// <summary>Mono samples.</summary>
    public float[] Samples { get; }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>Channels of the source before downmixing.</summary>
    public int SourceChannels { get; }

    /// <summary>Where the clip came from (a path), if known.</summary>
    public string? Source { get; }

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}

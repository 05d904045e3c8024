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

    /// <summary>
    /// Frames (samples per channel) the file's header declared, or null where the format declares none
    /// (MP3, Ogg) or the clip did not come from a file. More than <see cref="Samples"/> holds means the
    /// file was cut short: the decoder keeps what is there rather than refusing it.
    /// </summary>
    public long? DeclaredFrames
    {
        get;
        init
        {
            if (value is < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "declared frames must be >= 0");
            field = value;
        }
    }

    /// <summary>Duration the header declared in seconds, or null where it declared none.</summary>
    public double? DeclaredSeconds => DeclaredFrames is { } n ? (double)n / SampleRate : null;

    /// <summary>True when the header declared more frames than the file held (a truncated file).</summary>
    public bool Truncated => DeclaredFrames > Samples.Length;
}

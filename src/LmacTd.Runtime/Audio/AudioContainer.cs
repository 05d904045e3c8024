namespace LmacTd.Runtime.Audio;

/// <summary>What a file's first bytes say it is.</summary>
internal enum AudioContainer
{
    /// <summary>No known audio signature.</summary>
    NotAudio,

    /// <summary>A known audio (or media) format this runtime does not decode.</summary>
    Unsupported,

    /// <summary>RIFF/RF64 WAVE.</summary>
    Wav,

    /// <summary>IFF AIFF or AIFF-C.</summary>
    Aiff,

    /// <summary>Native FLAC.</summary>
    Flac,

    /// <summary>Ogg with a Vorbis first packet.</summary>
    OggVorbis,

    /// <summary>Ogg with an Opus first packet.</summary>
    OggOpus,

    /// <summary>MPEG audio (layers I-III), possibly behind an ID3v2 tag.</summary>
    Mp3,
}

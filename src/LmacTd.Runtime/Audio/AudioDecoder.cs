using LmacTd.Runtime.Audio.Flac;
using LmacTd.Runtime.Audio.Ogg;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// Reads WAV/RF64 (PCM 8/16/24/32-bit, float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE), AIFF/AIFF-C
/// (PCM either byte order, float), FLAC, MP3, Ogg Vorbis and Ogg Opus into mono <see cref="AudioClip"/>s at the file's own
/// sample rate. The format is told by the file's content, never by its extension. Rates outside
/// 1-768 kHz and more than 32 channels are refused before any sample is read; a file cut short decodes
/// what it holds and reports what its header declared in <see cref="AudioClip.DeclaredFrames"/>.
/// </summary>
public static class AudioDecoder
{
    /// <summary>Decodes the file at <paramref name="path"/> and averages its channels to mono.</summary>
    /// <exception cref="AudioFormatException">The file is missing, corrupt, empty, not audio or of an unsupported format.</exception>
    public static AudioClip Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new AudioFormatException(path, "is a directory, not an audio file");
        if (!File.Exists(path)) throw new AudioFormatException(path, "file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Decode(stream, path);
    }

    /// <summary>Decodes audio from <paramref name="stream"/> and averages its channels to mono.</summary>
    /// <param name="stream">The encoded audio; a stream that cannot seek is read into memory first.</param>
    /// <param name="name">A name for messages (usually the path).</param>
    /// <exception cref="AudioFormatException">The data is corrupt, empty, not audio or of an unsupported format.</exception>
    public static AudioClip Decode(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (!stream.CanSeek)
        {
            // Grows with the bytes that arrive, not with anything the data claims.
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        var decoded = DecodeInterleaved(stream, name);
        if (decoded.Count < decoded.Channels) throw new AudioFormatException(name, "holds no audio samples");
        return new AudioClip(Downmix.ToMono(decoded.Span, decoded.Channels), decoded.SampleRate, decoded.Channels, name)
        {
            DeclaredFrames = decoded.DeclaredFrames,
        };
    }

    /// <summary>Sniffs and decodes to interleaved samples (what the bit-exact tests compare).</summary>
    internal static DecodedAudio DecodeInterleaved(Stream stream, string name)
    {
        if (stream.Length - stream.Position < 4) throw new AudioFormatException(name, "too short to be an audio file");
        long start = stream.Position;
        string description = "audio";
        DecodedAudio decoded;
        try
        {
            (var kind, description) = AudioSniffer.Sniff(stream);
            decoded = kind switch
            {
                AudioContainer.Wav => WavDecoder.Decode(stream, name),
                AudioContainer.Aiff => AiffDecoder.Decode(stream, name),
                AudioContainer.Flac => FlacDecoder.Decode(stream, name),
                AudioContainer.OggVorbis => CompressedDecoders.DecodeVorbis(stream, name),
                AudioContainer.OggOpus => OggOpusDecoder.Decode(stream, name),
                AudioContainer.Mp3 => CompressedDecoders.DecodeMp3(stream, name),
                AudioContainer.Unsupported => throw new AudioFormatException(name,
                    $"{description} is not supported (supported: WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus)"),
                _ => throw new AudioFormatException(name, $"not an audio file: starts with \"{Preview(stream, start)}\""),
            };
        }
        catch (AudioFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or IOException
                                      or ArgumentException or InvalidOperationException or IndexOutOfRangeException
                                      or NotSupportedException or OverflowException or Concentus.OpusException)
        {
            throw new AudioFormatException(name, $"corrupt or unsupported {description} ({e.Message})", e);
        }

        // Every decoder checks its header; this catches any path that did not.
        AudioLimits.Check(name, decoded.SampleRate, decoded.Channels);
        return decoded;
    }

    private static string Preview(Stream stream, long start)
    {
        stream.Position = start;
        Span<byte> head = stackalloc byte[16];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return AudioSniffer.Printable(head[..got]) + (stream.Length - start > got ? "..." : "");
    }
}

using NAudio.Wave;
using NLayer;
using NVorbis;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// Reads WAV (PCM 8/16/24/32-bit, float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE, any channel count),
/// MP3 and Ogg Vorbis into mono <see cref="AudioClip"/>s at the file's own sample rate.
/// </summary>
public static class AudioDecoder
{
    private static readonly Guid SubtypePcm = new("00000001-0000-0010-8000-00aa00389b71");
    private static readonly Guid SubtypeFloat = new("00000003-0000-0010-8000-00aa00389b71");

    /// <summary>Decodes the file at <paramref name="path"/> and averages its channels to mono.</summary>
    /// <exception cref="AudioFormatException">The file is missing, corrupt, empty or not a supported format.</exception>
    public static AudioClip Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new AudioFormatException(path, "file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Decode(stream, path);
    }

    /// <summary>Decodes audio from <paramref name="stream"/> (which must be seekable) and averages its channels to mono.</summary>
    /// <param name="stream">The encoded audio.</param>
    /// <param name="name">A name for messages (usually the path).</param>
    /// <exception cref="AudioFormatException">The data is corrupt, empty or not a supported format.</exception>
    public static AudioClip Decode(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        Span<byte> head = stackalloc byte[4];
        long start = stream.Position;
        int got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        if (got < 4) throw new AudioFormatException(name, "too short to be an audio file");

        (float[] interleaved, int channels, int rate) decoded;
        try
        {
            decoded = head switch
            {
                _ when head.SequenceEqual("RIFF"u8) || head.SequenceEqual("RF64"u8) => DecodeWav(stream, name),
                _ when head.SequenceEqual("OggS"u8) => DecodeOgg(stream),
                _ when head[..3].SequenceEqual("ID3"u8) || (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0) => DecodeMp3(stream),
                _ => throw new AudioFormatException(name, "unsupported format (expected WAV, MP3 or Ogg Vorbis)"),
            };
        }
        catch (AudioFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or IOException
                                      or ArgumentException or InvalidOperationException or IndexOutOfRangeException or NotSupportedException)
        {
            throw new AudioFormatException(name, $"corrupt or unsupported audio ({e.Message})", e);
        }

        var (data, ch, sr) = decoded;
        if (ch < 1 || sr < 1) throw new AudioFormatException(name, $"invalid header: {ch} channels at {sr} Hz");
        if (data.Length < ch) throw new AudioFormatException(name, "holds no audio samples");
        return new AudioClip(Downmix.ToMono(data, ch), sr, ch, name);
    }

    private static (float[], int, int) DecodeWav(Stream stream, string name)
    {
        using var reader = new WaveFileReader(new NonClosingStream(stream));
        var fmt = reader.WaveFormat;
        int channels = fmt.Channels;
        int bits = fmt.BitsPerSample;
        bool isFloat;
        switch (fmt.Encoding)
        {
            case WaveFormatEncoding.Pcm:
                isFloat = false;
                break;
            case WaveFormatEncoding.IeeeFloat:
                isFloat = true;
                break;
            case WaveFormatEncoding.Extensible when SubFormat(fmt) is { } sub && (sub == SubtypePcm || sub == SubtypeFloat):
                isFloat = sub == SubtypeFloat;
                break;
            default:
                throw new AudioFormatException(name, $"unsupported WAV encoding {fmt.Encoding} (PCM and IEEE float are supported)");
        }

        bool supported = isFloat ? bits is 32 or 64 : bits is 8 or 16 or 24 or 32;
        if (!supported) throw new AudioFormatException(name, $"unsupported WAV sample format: {bits}-bit {(isFloat ? "float" : "PCM")}");
        int bytesPerSample = bits / 8;
        if (channels < 1 || fmt.BlockAlign != bytesPerSample * channels)
            throw new AudioFormatException(name, $"inconsistent WAV header: block align {fmt.BlockAlign} for {channels} x {bits}-bit");

        // Whole blocks only (NAudio insists); a truncated data chunk yields the whole frames it holds.
        long available = Math.Min(reader.Length, stream.Length);
        var raw = new byte[available / fmt.BlockAlign * fmt.BlockAlign];
        int total = 0;
        while (total < raw.Length)
        {
            int n = reader.Read(raw, total, raw.Length - total);
            if (n <= 0) break;
            total += n;
            if (total % fmt.BlockAlign != 0) break;
        }

        int samples = total / bytesPerSample / channels * channels;
        var output = new float[samples];
        var src = raw.AsSpan(0, samples * bytesPerSample);
        ConvertSamples(src, output, bits, isFloat);
        return (output, channels, fmt.SampleRate);
    }

    // NAudio keeps an extensible header's fields as raw extra bytes: wValidBitsPerSample (2),
    // dwChannelMask (4), then the sub-format GUID (16).
    private static Guid? SubFormat(WaveFormat fmt) => fmt switch
    {
        WaveFormatExtensible ext => ext.SubFormat,
        WaveFormatExtraData { ExtraData.Length: >= 22 } extra => new Guid(extra.ExtraData.AsSpan(6, 16)),
        _ => null,
    };

    private static void ConvertSamples(ReadOnlySpan<byte> src, Span<float> dst, int bits, bool isFloat)
    {
        switch (bits, isFloat)
        {
            case (8, false):
                for (int i = 0; i < dst.Length; i++) dst[i] = (src[i] - 128) / 128f;
                break;
            case (16, false):
                for (int i = 0; i < dst.Length; i++) dst[i] = (short)(src[2 * i] | (src[2 * i + 1] << 8)) / 32768f;
                break;
            case (24, false):
                for (int i = 0; i < dst.Length; i++)
                {
                    // Place the three bytes at the top of an int so the sign extends for free.
                    int v = (src[3 * i] << 8) | (src[3 * i + 1] << 16) | (src[3 * i + 2] << 24);
                    dst[i] = v / 2147483648f;
                }

                break;
            case (32, false):
                for (int i = 0; i < dst.Length; i++) dst[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]) / 2147483648f;
                break;
            case (32, true):
                for (int i = 0; i < dst.Length; i++) dst[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                break;
            default:
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                break;
        }
    }

    private static (float[], int, int) DecodeMp3(Stream stream)
    {
        using var mpeg = new MpegFile(new NonClosingStream(stream));
        var samples = ReadAll((b, o, c) => mpeg.ReadSamples(b, o, c));
        return (samples, mpeg.Channels, mpeg.SampleRate);
    }

    private static (float[], int, int) DecodeOgg(Stream stream)
    {
        using var vorbis = new VorbisReader(stream, closeOnDispose: false);
        var samples = ReadAll((b, o, c) => vorbis.ReadSamples(b, o, c));
        return (samples, vorbis.Channels, vorbis.SampleRate);
    }

    private static float[] ReadAll(Func<float[], int, int, int> read)
    {
        var chunks = new List<float[]>();
        var buffer = new float[1 << 16];
        int total = 0;
        while (true)
        {
            int n = read(buffer, 0, buffer.Length);
            if (n <= 0) break;
            chunks.Add(buffer[..n]);
            total += n;
        }

        var all = new float[total];
        int o = 0;
        foreach (var c in chunks)
        {
            c.CopyTo(all, o);
            o += c.Length;
        }

        return all;
    }
}

namespace LmacTd.Runtime.Audio;

/// <summary>
/// Reads an audio file a block at a time as mono floats at the file's own rate, so a long file never has to sit in
/// memory whole. The format is told by content, as <see cref="AudioDecoder"/> does, and the samples are the ones it
/// gives, bit for bit (the same conversion and the same per-frame downmix, only in pieces).
/// </summary>
/// <remarks>
/// Only WAV/RF64 (PCM 8/16/24/32-bit, float 32/64-bit, plain or extensible) is read incrementally: its data is a flat
/// run of frames that NAudio's reader hands out in blocks. AIFF, FLAC, MP3 and Ogg fall back to the whole-file decode
/// (<see cref="IsIncremental"/> false) and are then handed out in blocks from memory; their decoders would need their
/// own incremental paths, which is future work.
/// </remarks>
internal sealed class AudioStreamReader : IDisposable
{
    private readonly FileStream? _file;
    private readonly WavDecoder.OpenWav? _wav;
    private readonly AudioClip? _whole;
    private byte[] _bytes = [];
    private float[] _interleaved = [];
    private long _remainingBytes;
    private int _heldBytes;
    private long _wholeAt;
    private bool _ended;

    private AudioStreamReader(string name, FileStream file, WavDecoder.OpenWav wav)
    {
        Name = name;
        _file = file;
        _wav = wav;
        _remainingBytes = wav.Reader.Length;
        SampleRate = wav.SampleRate;
        Channels = wav.Channels;
        DeclaredFrames = wav.DeclaredFrames;
    }

    private AudioStreamReader(string name, AudioClip whole)
    {
        Name = name;
        _whole = whole;
        SampleRate = whole.SampleRate;
        Channels = whole.SourceChannels;
        DeclaredFrames = whole.DeclaredFrames;
    }

    /// <summary>The file's path, as given (for messages).</summary>
    public string Name { get; }

    /// <summary>Frames per second.</summary>
    public int SampleRate { get; }

    /// <summary>Channels of the file before downmixing.</summary>
    public int Channels { get; }

    /// <summary>Frames the header declares, or null where the format declares none.</summary>
    public long? DeclaredFrames { get; }

    /// <summary>Frames the file holds (for WAV the data chunk's size, clamped to the file, over the frame size).</summary>
    public long Frames => _wav is { } wav ? wav.Reader.Length / wav.BlockAlign : _whole!.Samples.Length;

    /// <summary>The decoded clip where the format is not read incrementally (<see cref="IsIncremental"/> false), else null.</summary>
    public AudioClip? Whole => _whole;

    /// <summary>Frames handed out so far.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Whether the file is read a block at a time (WAV/RF64) rather than decoded whole first.</summary>
    public bool IsIncremental => _wav is not null;

    /// <summary>Opens <paramref name="path"/>, checks its header and leaves it at the first sample.</summary>
    /// <exception cref="AudioFormatException">The file is missing, corrupt, empty, not audio or of an unsupported format.</exception>
    public static AudioStreamReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new AudioFormatException(path, "is a directory, not an audio file");
        if (!File.Exists(path)) throw new AudioFormatException(path, "file not found");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var (kind, description) = file.Length >= 4 ? AudioSniffer.Sniff(file) : (AudioContainer.NotAudio, "");
            if (kind == AudioContainer.Wav)
            {
                var wav = Guard(path, description, () => WavDecoder.Open(file, path));
                return new AudioStreamReader(path, file, wav);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        // Not WAV (or not audio at all): the whole-file decoder reads it, or says what is wrong with it.
        file.Dispose();
        return new AudioStreamReader(path, AudioDecoder.Load(path));
    }

    /// <summary>Fills <paramref name="mono"/> with the next frames, channels averaged; returns how many (0 at the end).</summary>
    /// <exception cref="AudioFormatException">The file turned out corrupt, or holds no samples at all.</exception>
    public int Read(Span<float> mono)
    {
        int n = _wav is { } wav ? ReadWav(wav, mono) : ReadWhole(mono);
        FramesRead += n;
        if (n == 0 && mono.Length > 0 && FramesRead == 0) throw new AudioFormatException(Name, "holds no audio samples");
        return n;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _wav?.Dispose();
        _file?.Dispose();
    }

    private int ReadWhole(Span<float> mono)
    {
        var samples = _whole!.Samples;
        int n = (int)Math.Min(mono.Length, samples.Length - _wholeAt);
        samples.AsSpan((int)_wholeAt, n).CopyTo(mono);
        _wholeAt += n;
        return n;
    }

    // Mirrors PcmConversion.ReadFrames: whole blocks from NAudio, a short read's partial frame carried over.
    private int ReadWav(WavDecoder.OpenWav wav, Span<float> mono)
    {
        int block = wav.BlockAlign;
        int needed = mono.Length * block;
        if (_bytes.Length < needed + block) _bytes = new byte[needed + block];
        if (_interleaved.Length < mono.Length * wav.Channels) _interleaved = new float[mono.Length * wav.Channels];
        int frames = 0;
        while (frames < mono.Length && !_ended && _remainingBytes > 0)
        {
            int want = (int)Math.Min((mono.Length - frames) * (long)block - _heldBytes, _remainingBytes) / block * block;
            int n = want > 0 ? Guard(Name, "WAV", () => wav.Reader.Read(_bytes, _heldBytes, want)) : 0;
            if (n <= 0)
            {
                _ended = true;
                break;
            }

            _remainingBytes -= n;
            _heldBytes += n;
            int whole = _heldBytes / block;
            var interleaved = _interleaved.AsSpan(0, whole * wav.Channels);
            PcmConversion.Convert(_bytes.AsSpan(0, whole * block), interleaved, wav.Bits, wav.IsFloat);
            Downmix.ToMono(interleaved, wav.Channels, mono[frames..]);
            frames += whole;
            _bytes.AsSpan(whole * block, _heldBytes - whole * block).CopyTo(_bytes);
            _heldBytes -= whole * block;
        }

        return frames;
    }

    // The decoders' own errors become AudioFormatExceptions naming the file, as in AudioDecoder.
    private static T Guard<T>(string name, string description, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (AudioFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or IOException
                                      or ArgumentException or InvalidOperationException or IndexOutOfRangeException
                                      or NotSupportedException or OverflowException)
        {
            throw new AudioFormatException(name, $"corrupt or unsupported {description} ({e.Message})", e);
        }
    }
}

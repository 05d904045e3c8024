using System.Buffers.Binary;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// Writes a mono WAV file as its samples arrive: the header first with placeholder sizes, then the samples, then on
/// <see cref="Complete"/> the sizes patched in. The finished file is byte for byte what <see cref="WavWriter.Encode(ReadOnlySpan{float}, int, WavSampleFormat)"/>
/// makes of the same samples, without holding them all. Atomic publishing (a temporary, then a rename) is the caller's.
/// </summary>
/// <remarks>Hand-written for the same reason as <see cref="WavWriter"/>: the header is a few fixed fields, and NAudio's
/// writer lays out float files differently from <see cref="WavWriter"/>, whose files these must equal.</remarks>
internal sealed class WavStreamWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly WavSampleFormat _format;
    private readonly int _headerBytes;
    private byte[] _buffer = new byte[1 << 16];
    private long _samples;
    private bool _completed;

    /// <summary>Starts a WAV file on <paramref name="stream"/> (seekable, at position 0).</summary>
    /// <param name="stream">Where the file goes.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="format">Sample format.</param>
    /// <param name="ownsStream">Whether <see cref="Dispose"/> closes <paramref name="stream"/>.</param>
    public WavStreamWriter(Stream stream, int sampleRate, WavSampleFormat format = WavSampleFormat.Float32, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (!stream.CanSeek || !stream.CanWrite) throw new ArgumentException("the stream must be writable and seekable", nameof(stream));
        _stream = stream;
        _ownsStream = ownsStream;
        _format = format;
        // An empty file's header is the header of any length, sizes aside.
        var header = WavWriter.Encode([], sampleRate, format);
        _headerBytes = header.Length;
        _stream.Write(header);
    }

    /// <summary>Samples written so far.</summary>
    public long SampleCount => _samples;

    /// <summary>Appends <paramref name="samples"/> (16-bit PCM: clipped to [-1, 1] and rounded, as <see cref="WavWriter"/> does).</summary>
    /// <exception cref="ArgumentException">The file would pass the 4 GiB a RIFF header can describe.</exception>
    public void Write(ReadOnlySpan<float> samples)
    {
        if (_completed) throw new InvalidOperationException("the WAV file has been completed");
        int bytesPerSample = _format == WavSampleFormat.Float32 ? 4 : 2;
        if (_headerBytes + (_samples + samples.Length) * bytesPerSample > uint.MaxValue)
            throw new ArgumentException("too many samples for one WAV file", nameof(samples));
        int step = _buffer.Length / bytesPerSample;
        for (int at = 0; at < samples.Length; at += step)
        {
            var piece = samples.Slice(at, Math.Min(step, samples.Length - at));
            var bytes = _buffer.AsSpan(0, piece.Length * bytesPerSample);
            if (_format == WavSampleFormat.Float32)
            {
                for (int i = 0; i < piece.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes[(4 * i)..], piece[i]);
            }
            else
            {
                for (int i = 0; i < piece.Length; i++)
                {
                    float v = float.IsNaN(piece[i]) ? 0 : Math.Clamp(piece[i], -1f, 1f);
                    BinaryPrimitives.WriteInt16LittleEndian(bytes[(2 * i)..], (short)Math.Clamp(MathF.Round(v * 32768f), short.MinValue, short.MaxValue));
                }
            }

            _stream.Write(bytes);
        }

        _samples += samples.Length;
    }

    /// <summary>Patches the sizes into the header and flushes; the file is then complete.</summary>
    public void Complete()
    {
        if (_completed) return;
        int bytesPerSample = _format == WavSampleFormat.Float32 ? 4 : 2;
        uint dataBytes = (uint)(_samples * bytesPerSample);
        Span<byte> u32 = stackalloc byte[4];
        Patch(4, (uint)(_headerBytes + dataBytes - 8), u32);
        // The float layout has a fact chunk (12 bytes) before "data"; its sample count sits just before it.
        if (_format == WavSampleFormat.Float32) Patch(_headerBytes - 12, (uint)_samples, u32);
        Patch(_headerBytes - 4, dataBytes, u32);
        _stream.Seek(0, SeekOrigin.End);
        _stream.Flush();
        _completed = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _buffer = [];
        if (_ownsStream) _stream.Dispose();
    }

    private void Patch(long at, uint value, Span<byte> u32)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(u32, value);
        _stream.Seek(at, SeekOrigin.Begin);
        _stream.Write(u32);
    }
}

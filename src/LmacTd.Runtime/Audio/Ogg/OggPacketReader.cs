using System.Buffers.Binary;

namespace LmacTd.Runtime.Audio.Ogg;

/// <summary>
/// Splits the first logical stream of an Ogg file into packets. Hand-written because Concentus ships no
/// Ogg reader, its companion package is not served here, and NVorbis's Ogg layer hands packets out only as
/// bit readers for its own Vorbis decoder. Page CRCs are not checked: a damaged page shows up as a bad
/// packet, which the codec refuses.
/// </summary>
internal sealed class OggPacketReader(Stream stream)
{
    private readonly byte[] _header = new byte[27];
    private readonly byte[] _lacing = new byte[255];
    private byte[] _body = [];
    private int _segments;
    private int _segment;
    private int _bodyOffset;
    private int? _serial;

    /// <summary>Granule position of the last page read (-1 where a page ends no packet).</summary>
    public long LastGranule { get; private set; } = -1;

    /// <summary>True once a page was cut short by the end of the file.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The next whole packet of the first stream, or null at the end (a packet cut off by the end is dropped).</summary>
    public byte[]? ReadPacket()
    {
        using var packet = new MemoryStream();
        while (true)
        {
            if (_segment >= _segments && !ReadPage()) return null;
            while (_segment < _segments)
            {
                int len = _lacing[_segment++];
                packet.Write(_body, _bodyOffset, len);
                _bodyOffset += len;
                if (len < 255) return packet.ToArray();
            }
        }
    }

    private bool ReadPage()
    {
        while (true)
        {
            if (stream.ReadAtLeast(_header, 27, throwOnEndOfStream: false) < 27) return false;
            if (!_header.AsSpan(0, 4).SequenceEqual("OggS"u8) || _header[4] != 0)
                throw new InvalidDataException("damaged Ogg page (no capture pattern)");
            int serial = BinaryPrimitives.ReadInt32LittleEndian(_header.AsSpan(14));
            int segments = _header[26];
            if (stream.ReadAtLeast(_lacing.AsSpan(0, segments), segments, throwOnEndOfStream: false) < segments)
            {
                Truncated = true;
                return false;
            }

            int bodyLength = 0;
            for (int i = 0; i < segments; i++) bodyLength += _lacing[i];
            if (_body.Length < bodyLength) _body = new byte[bodyLength]; // at most 255 * 255 bytes
            if (stream.ReadAtLeast(_body.AsSpan(0, bodyLength), bodyLength, throwOnEndOfStream: false) < bodyLength)
            {
                Truncated = true;
                return false;
            }

            _serial ??= serial;
            if (serial != _serial) continue; // another multiplexed stream
            long granule = BinaryPrimitives.ReadInt64LittleEndian(_header.AsSpan(6));
            if (granule != -1) LastGranule = granule;
            _segments = segments;
            _segment = 0;
            _bodyOffset = 0;
            return true;
        }
    }
}

using System.Text;

namespace LmacTd.Runtime.Audio;

/// <summary>
/// Tells formats apart by their first bytes, never by the file's extension, and names the known formats
/// this runtime cannot decode so a user learns what the file is rather than that it is "unsupported".
/// </summary>
internal static class AudioSniffer
{
    /// <summary>Bytes read to decide: enough for an Ogg page header with a full lacing table and the first packet's signature.</summary>
    public const int HeadLength = 512;

    private static readonly (byte[] Magic, int At, string Name)[] KnownUnsupported =
    [
        ("ftyp"u8.ToArray(), 4, "MP4/M4A (AAC or ALAC)"),
        ([0x1A, 0x45, 0xDF, 0xA3], 0, "Matroska/WebM"),
        ([0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11], 0, "WMA/ASF"),
        (".snd"u8.ToArray(), 0, "Sun/NeXT AU"),
        ("caff"u8.ToArray(), 0, "Core Audio Format (CAF)"),
        ("wvpk"u8.ToArray(), 0, "WavPack"),
        ("MAC "u8.ToArray(), 0, "Monkey's Audio (APE)"),
        ("TTA1"u8.ToArray(), 0, "True Audio (TTA)"),
        ("MPCK"u8.ToArray(), 0, "Musepack"),
        ("MP+"u8.ToArray(), 0, "Musepack"),
        ("#!AMR"u8.ToArray(), 0, "AMR"),
        ("MThd"u8.ToArray(), 0, "MIDI (notes, not audio)"),
        ("riff"u8.ToArray(), 0, "Sony Wave64 (W64)"),
        ("BW64"u8.ToArray(), 0, "BW64"),
        ("DSD "u8.ToArray(), 0, "DSF (DSD)"),
        ("FRM8"u8.ToArray(), 0, "DSDIFF (DSD)"),
        ("Creative Voice File"u8.ToArray(), 0, "Creative Voice (VOC)"),
        (".RMF"u8.ToArray(), 0, "RealMedia"),
    ];

    // Theora's identification header starts with the byte 0x80 ("\u0080"u8 would be its two-byte UTF-8 encoding).
    private static readonly byte[] TheoraSignature = [0x80, .. "theora"u8];

    /// <summary>Reads the head of <paramref name="stream"/> (seekable) and leaves its position where decoding should start.</summary>
    public static (AudioContainer Kind, string Description) Sniff(Stream stream)
    {
        long start = stream.Position;
        var head = ReadHead(stream, start);
        if (head.Length >= 10 && head.AsSpan(0, 3).SequenceEqual("ID3"u8))
        {
            // An ID3v2 tag (syncsafe size, plus a footer when flagged) may stand before MP3 or FLAC.
            long size = 10 + (((head[6] & 0x7F) << 21) | ((head[7] & 0x7F) << 14) | ((head[8] & 0x7F) << 7) | (head[9] & 0x7F))
                        + ((head[5] & 0x10) != 0 ? 10 : 0);
            var after = start + size < stream.Length ? ReadHead(stream, start + size) : [];
            if (after.AsSpan().StartsWith("fLaC"u8))
            {
                stream.Position = start + size;
                return (AudioContainer.Flac, "FLAC");
            }

            stream.Position = start;
            return (AudioContainer.Mp3, "MP3");
        }

        stream.Position = start;
        return Classify(head);
    }

    /// <summary>Classifies a file by its first bytes (at least 4).</summary>
    public static (AudioContainer Kind, string Description) Classify(ReadOnlySpan<byte> h)
    {
        if (h.StartsWith("RIFF"u8) || h.StartsWith("RF64"u8))
        {
            if (h.Length >= 12 && h[8..12].SequenceEqual("WAVE"u8)) return (AudioContainer.Wav, "WAV");
            return (AudioContainer.Unsupported, h.Length >= 12 && h[8..12].SequenceEqual("AVI "u8)
                ? "AVI (video)" : $"RIFF '{Printable(FormType(h))}' (not WAVE)");
        }

        if (h.StartsWith("FORM"u8))
        {
            if (h.Length >= 12 && (h[8..12].SequenceEqual("AIFF"u8) || h[8..12].SequenceEqual("AIFC"u8))) return (AudioContainer.Aiff, "AIFF");
            return (AudioContainer.Unsupported, $"IFF '{Printable(FormType(h))}' (not AIFF)");
        }

        if (h.StartsWith("fLaC"u8)) return (AudioContainer.Flac, "FLAC");
        if (h.StartsWith("OggS"u8)) return ClassifyOgg(h);

        foreach (var (magic, at, name) in KnownUnsupported)
        {
            if (h.Length >= at + magic.Length && h.Slice(at, magic.Length).SequenceEqual(magic)) return (AudioContainer.Unsupported, name);
        }

        if (h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0)
        {
            int version = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3;
            if ((h[1] & 0xF6) == 0xF0) return (AudioContainer.Unsupported, "AAC (ADTS)");
            if (layer != 0 && version != 1) return (AudioContainer.Mp3, "MP3");
        }

        return (AudioContainer.NotAudio, "not audio");
    }

    /// <summary>A short printable rendering of <paramref name="bytes"/>: ASCII as is, anything else as \xNN.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes) sb.Append(b is >= 0x20 and < 0x7F && b != (byte)'\\' ? (char)b : $"\\x{b:X2}");
        return sb.ToString();
    }

    // RIFF and IFF name their form type in bytes 8-11; a cut file may hold fewer.
    private static ReadOnlySpan<byte> FormType(ReadOnlySpan<byte> h) => h[Math.Min(8, h.Length)..Math.Min(12, h.Length)];

    private static (AudioContainer, string) ClassifyOgg(ReadOnlySpan<byte> h)
    {
        // The first page holds the first packet whole; its payload follows the lacing table.
        if (h.Length < 27) return (AudioContainer.Unsupported, "Ogg (cut short before its first packet)");
        int body = 27 + h[26];
        var packet = h.Length > body ? h[body..] : [];
        if (packet.StartsWith("\u0001vorbis"u8)) return (AudioContainer.OggVorbis, "Ogg Vorbis");
        if (packet.StartsWith("OpusHead"u8)) return (AudioContainer.OggOpus, "Ogg Opus");
        if (packet.StartsWith("\u007FFLAC"u8)) return (AudioContainer.Unsupported, "Ogg FLAC");
        if (packet.StartsWith("Speex   "u8)) return (AudioContainer.Unsupported, "Ogg Speex");
        if (packet.StartsWith(TheoraSignature)) return (AudioContainer.Unsupported, "Ogg Theora (video)");
        return (AudioContainer.Unsupported, "Ogg with an unknown codec");
    }

    private static byte[] ReadHead(Stream stream, long at)
    {
        stream.Position = at;
        var head = new byte[HeadLength];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..got];
    }
}

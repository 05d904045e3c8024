using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// What the first bytes say: every format the runtime names (from each format's published signature), the MPEG
/// frame-sync rules, Ogg's first packet, and ID3 tags in front of MP3 or FLAC.
/// </summary>
public class AudioSnifferTests
{
    public static TheoryData<string, int, string> Unsupported() => new()
    {
        // signature (\xNN escapes), where it stands, the name the user reads
        { "ftyp", 4, "MP4/M4A (AAC or ALAC)" },
        { "\\x1A\\x45\\xDF\\xA3", 0, "Matroska/WebM" },
        { "\\x30\\x26\\xB2\\x75\\x8E\\x66\\xCF\\x11", 0, "WMA/ASF" },
        { ".snd", 0, "Sun/NeXT AU" },
        { "caff", 0, "Core Audio Format (CAF)" },
        { "wvpk", 0, "WavPack" },
        { "MAC ", 0, "Monkey's Audio (APE)" },
        { "TTA1", 0, "True Audio (TTA)" },
        { "MPCK", 0, "Musepack" },
        { "MP+", 0, "Musepack" },
        { "#!AMR", 0, "AMR" },
        { "MThd", 0, "MIDI (notes, not audio)" },
        { "riff", 0, "Sony Wave64 (W64)" },
        { "BW64", 0, "BW64" },
        { "DSD ", 0, "DSF (DSD)" },
        { "FRM8", 0, "DSDIFF (DSD)" },
        { "Creative Voice File", 0, "Creative Voice (VOC)" },
        { ".RMF", 0, "RealMedia" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Each_known_unsupported_format_is_named(string signature, int at, string name)
    {
        var head = new byte[64];
        var magic = Bytes(signature);
        magic.CopyTo(head, at);
        Assert.Equal((AudioContainer.Unsupported, name), AudioSniffer.Classify(head));

        // Cut one byte short of the signature, it says nothing.
        Assert.Equal(AudioContainer.NotAudio, AudioSniffer.Classify(head.AsSpan(0, at + magic.Length - 1)).Kind);
    }

    [Theory]
    [InlineData("\\xFF\\xFB\\x90\\x00", "Mp3", "MP3")]              // MPEG-1 layer III
    [InlineData("\\xFF\\xF3\\x90\\x00", "Mp3", "MP3")]              // MPEG-2 layer III
    [InlineData("\\xFF\\xE3\\x90\\x00", "Mp3", "MP3")]              // MPEG-2.5 layer III
    [InlineData("\\xFF\\xFD\\x90\\x00", "Mp3", "MP3")]              // MPEG-1 layer II
    [InlineData("\\xFF\\xEB\\x90\\x00", "NotAudio", "not audio")]   // reserved MPEG version
    [InlineData("\\xFF\\xF9\\x90\\x00", "Unsupported", "AAC (ADTS)")] // layer bits 00: ADTS
    [InlineData("\\xFF\\xF1\\x50\\x80", "Unsupported", "AAC (ADTS)")]
    [InlineData("\\xFF\\xE1\\x90\\x00", "NotAudio", "not audio")]   // reserved layer
    [InlineData("\\xFF\\xDB\\x90\\x00", "NotAudio", "not audio")]   // 11 sync bits incomplete
    [InlineData("\\xFE\\xFB\\x90\\x00", "NotAudio", "not audio")]
    public void An_mpeg_frame_header_is_told_by_its_sync_version_and_layer(string head, string kind, string description) =>
        Assert.Equal((Enum.Parse<AudioContainer>(kind), description), AudioSniffer.Classify(Bytes(head)));

    [Theory]
    [InlineData("\\x01vorbis", "OggVorbis", "Ogg Vorbis")]
    [InlineData("OpusHead", "OggOpus", "Ogg Opus")]
    [InlineData("\\x7FFLAC", "Unsupported", "Ogg FLAC")]
    [InlineData("Speex   ", "Unsupported", "Ogg Speex")]
    [InlineData("\\x80theora", "Unsupported", "Ogg Theora (video)")]
    [InlineData("fishead\\x00", "Unsupported", "Ogg with an unknown codec")]
    public void An_ogg_stream_is_told_by_the_signature_of_its_first_packet(string packet, string kind, string description)
    {
        // A first page with a lacing table of 3 segments: the packet starts after it.
        var p = Bytes(packet);
        byte[] page = [.. "OggS"u8, 0, 2, .. new byte[20], 3, 255, 255, (byte)p.Length, .. p, .. new byte[8]];
        Assert.Equal((Enum.Parse<AudioContainer>(kind), description), AudioSniffer.Classify(page));
        Assert.Equal((AudioContainer.Unsupported, "Ogg (cut short before its first packet)"), AudioSniffer.Classify(page.AsSpan(0, 26)));
        Assert.Equal((AudioContainer.Unsupported, "Ogg with an unknown codec"), AudioSniffer.Classify(page.AsSpan(0, 30)));
    }

    [Theory]
    [InlineData("RIFF\\x10\\x00\\x00\\x00WAVE", "Wav", "WAV")]
    [InlineData("RF64\\xFF\\xFF\\xFF\\xFFWAVE", "Wav", "WAV")]
    [InlineData("RIFF\\x10\\x00\\x00\\x00AVI ", "Unsupported", "AVI (video)")]
    [InlineData("RIFF\\x10\\x00\\x00\\x00RMID", "Unsupported", "RIFF 'RMID' (not WAVE)")]
    [InlineData("RIFF\\x10\\x00\\x00\\x00WA", "Unsupported", "RIFF 'WA' (not WAVE)")]
    [InlineData("RIFF\\x10\\x00", "Unsupported", "RIFF '' (not WAVE)")]
    [InlineData("FORM\\x10\\x00\\x00\\x00AIFF", "Aiff", "AIFF")]
    [InlineData("FORM\\x10\\x00\\x00\\x00AIFC", "Aiff", "AIFF")]
    [InlineData("FORM\\x10\\x00\\x00\\x00ILBM", "Unsupported", "IFF 'ILBM' (not AIFF)")]
    [InlineData("FORM\\x10\\x00\\x00\\x00\\x01\\\\", "Unsupported", "IFF '\\x01\\x5C' (not AIFF)")]
    [InlineData("fLaC", "Flac", "FLAC")]
    [InlineData("this", "NotAudio", "not audio")]
    public void Containers_are_told_by_their_form_type(string head, string kind, string description) =>
        Assert.Equal((Enum.Parse<AudioContainer>(kind), description), AudioSniffer.Classify(Bytes(head)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_flac_behind_an_id3_tag_is_found_where_the_tag_ends(bool footer)
    {
        // The tag's size is syncsafe (7 bits a byte) and leaves out the 10-byte header and the 10-byte footer.
        const int size = 300 + (1 << 14) + (1 << 21);
        var tag = new byte[10 + size + (footer ? 10 : 0)];
        "ID3"u8.CopyTo(tag);
        tag[3] = 4;
        tag[5] = footer ? (byte)0x10 : (byte)0;
        tag[6] = size >> 21 & 0x7F;
        tag[7] = size >> 14 & 0x7F;
        tag[8] = size >> 7 & 0x7F;
        tag[9] = size & 0x7F;
        var flac = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "flac8-mono.flac"));
        using var stream = new MemoryStream([.. new byte[7], .. tag, .. flac]);
        stream.Position = 7;
        Assert.Equal((AudioContainer.Flac, "FLAC"), AudioSniffer.Sniff(stream));
        Assert.Equal(7 + tag.Length, stream.Position);
        stream.Position = 7;
        Assert.Equal(AudioDecoder.Decode(new MemoryStream(flac), "plain").Samples, AudioDecoder.Decode(stream, "tagged").Samples);
    }

    [Theory]
    [InlineData(100, 400)]   // an MP3 frame after the tag
    [InlineData(5000, 400)]  // a tag running past the end of the file
    public void An_id3_tag_before_anything_else_is_taken_for_mp3_from_the_start(int size, int fileLength)
    {
        var bytes = new byte[fileLength];
        "ID3"u8.CopyTo(bytes);
        bytes[3] = 3;
        bytes[8] = (byte)(size >> 7 & 0x7F);
        bytes[9] = (byte)(size & 0x7F);
        if (10 + size + 2 <= fileLength) bytes.AsSpan(10 + size).Fill(0xFF);
        using var stream = new MemoryStream(bytes);
        stream.Position = 0;
        Assert.Equal((AudioContainer.Mp3, "MP3"), AudioSniffer.Sniff(stream));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void A_short_id3_is_not_a_tag()
    {
        using var stream = new MemoryStream("ID3\x04\0\0\0"u8.ToArray());
        Assert.Equal((AudioContainer.NotAudio, "not audio"), AudioSniffer.Sniff(stream));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Sniffing_reads_from_the_streams_position_and_leaves_it_there()
    {
        var wav = WavBuilder.Build(TestData.Sine(100, 8000, 200), 1, 8000, 16, false, false);
        using var stream = new MemoryStream([.. "junk"u8, .. wav]);
        stream.Position = 4;
        Assert.Equal((AudioContainer.Wav, "WAV"), AudioSniffer.Sniff(stream));
        Assert.Equal(4, stream.Position);
        Assert.Equal(100, AudioDecoder.Decode(stream, "x").Samples.Length);
    }

    [Fact]
    public void Printable_keeps_ascii_and_escapes_the_rest_and_the_backslash()
    {
        Assert.Equal("ab \\x1F\\x7F\\x5C~\\x00\\xFF", AudioSniffer.Printable([(byte)'a', (byte)'b', 0x20, 0x1F, 0x7F, (byte)'\\', (byte)'~', 0, 0xFF]));
        Assert.Equal("", AudioSniffer.Printable([]));
    }

    // "\xNN" escapes to bytes, everything else as Latin-1.
    private static byte[] Bytes(string s)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(s.Substring(i + 2, 2), 16));
                i += 3;
            }
            else if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else
            {
                bytes.Add((byte)s[i]);
            }
        }

        return [.. bytes];
    }
}

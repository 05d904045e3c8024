using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>Formats are told by content: names do not matter, non-audio and known-but-unsupported files are told apart.</summary>
public class FormatSniffingTests
{
    [Fact]
    public void A_text_file_named_wav_is_not_an_audio_file()
    {
        using var dir = new TempDir();
        var path = dir.File("notes.wav");
        File.WriteAllText(path, "Hello, this is a shopping list\n");
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains("not an audio file: starts with \"Hello, this is a...\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_junk_is_previewed_printably()
    {
        byte[] junk = [0x00, 0x01, (byte)'A', 0x7F, 0xC3, (byte)'z'];
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(junk), "junk.bin"));
        Assert.Contains("starts with \"\\x00\\x01A\\x7F\\xC3z\"", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Unsupported() => new()
    {
        { "\0\0\0\u0020ftypM4A \0\0\0\0", "MP4/M4A" },
        { "caff\0\u0001\0\0desc", "Core Audio Format" },
        { "RIFF\u0010\0\0\0AVI LIST", "AVI" },
        { "FORM\u0010\0\0\08SVXVHDR", "IFF '8SVX'" },
        { "\u00FF\u00F1\u0050\u0080\0\u001F\u00FC", "AAC (ADTS)" },
        { "wvpk\u0020\0\0\0\u0010\u0004", "WavPack" },
        { "MThd\0\0\0\u0006", "MIDI" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void A_known_but_unsupported_format_is_named(string head, string name)
    {
        var bytes = head.Select(c => (byte)c).Concat(new byte[64]).ToArray();
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "x.wav"));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains("is not supported", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not an audio file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ogg_stream_of_another_codec_is_named()
    {
        // One Ogg page whose single packet starts like Ogg FLAC's mapping header.
        var packet = "\u007FFLAC\u0001\0"u8.ToArray();
        byte[] page = [.. "OggS"u8, 0, 2, .. new byte[8], .. new byte[4], .. new byte[4], .. new byte[4], 1, (byte)packet.Length, .. packet];
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(page), "x.ogg"));
        Assert.Contains("Ogg FLAC is not supported", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flac16-stereo-lpc.flac", "song.wav")]
    [InlineData("aiff16-stereo.aiff", "song.mp3")]
    [InlineData("opus-stereo.opus", "song.ogg")]
    [InlineData("flac8-mono.flac", "song")]
    public void The_extension_does_not_matter(string reference, string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        File.Copy(Path.Combine(ReferenceFiles.Dir, reference), path);
        var renamed = AudioDecoder.Load(path);
        var original = AudioDecoder.Load(Path.Combine(ReferenceFiles.Dir, reference));
        Assert.Equal(original.SampleRate, renamed.SampleRate);
        Assert.Equal(original.Samples, renamed.Samples);
    }

    [Fact]
    public void A_flac_behind_an_id3_tag_is_decoded()
    {
        var flac = File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, "flac8-mono.flac"));
        var tag = new byte[10 + 300];
        "ID3"u8.CopyTo(tag);
        tag[3] = 4;
        tag[8] = 300 >> 7;      // syncsafe size: 7 bits a byte
        tag[9] = 300 & 0x7F;
        var clip = AudioDecoder.Decode(new MemoryStream([.. tag, .. flac]), "tagged.flac");
        Assert.Equal(AudioDecoder.Decode(new MemoryStream(flac), "plain.flac").Samples, clip.Samples);
    }

    [Fact]
    public void A_directory_is_named_as_such()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Load(dir.Path));
        Assert.Contains("directory", e.Message, StringComparison.Ordinal);
    }
}

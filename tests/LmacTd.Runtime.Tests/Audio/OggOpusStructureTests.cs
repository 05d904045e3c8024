using System.Buffers.Binary;
using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// The reference Ogg Opus file taken apart into its packets (by the page layout of RFC 3533, read here) and put back
/// together differently: packets spread over many pages, another logical stream interleaved, headers changed (gain,
/// channels, mapping family, version), pages damaged or cut. Whatever the paging, the samples must be the same.
/// </summary>
public class OggOpusStructureTests
{
    private const string File = "opus-stereo.opus";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public void Packets_spread_over_pages_of_any_size_decode_the_same(int segmentsPerPage)
    {
        var (packets, granule) = Packets(Original);
        var tags = packets[1];
        // A long comment makes the tags packet span pages (255-byte segments), and an empty packet is skipped.
        packets[1] = [.. tags, .. new byte[700]];
        packets.Insert(5, []);
        var rebuilt = Pages(packets, segmentsPerPage, granule);
        Assert.Equal(Decode(Original), Decode(rebuilt));
    }

    [Fact]
    public void Pages_of_another_logical_stream_are_ignored()
    {
        var (packets, granule) = Packets(Original);
        var pages = Split(Pages(packets, 4, granule));
        var rng = new Random(3);
        var mixed = new List<byte>();
        for (int i = 0; i < pages.Count; i++)
        {
            mixed.AddRange(pages[i]);
            if (i % 2 == 0)
            {
                var junk = new byte[1 + rng.Next(200)];
                rng.NextBytes(junk);
                mixed.AddRange(Page(serial: 77, sequence: i, flags: i == 0 ? 2 : 0, granule: 1000 * i, [(byte)junk.Length], junk));
            }
        }

        Assert.Equal(Decode(Original), Decode([.. mixed]));
    }

    [Fact]
    public void A_page_without_its_capture_pattern_is_refused()
    {
        var pages = Split(Repaged);
        pages[3][0] = (byte)'X';
        var e = Assert.Throws<AudioFormatException>(() => Decode([.. pages.SelectMany(p => p)]));
        Assert.Contains("damaged Ogg page (no capture pattern)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(27 + 2)]  // inside the lacing table of a page
    [InlineData(27 + 40)] // inside its body
    public void A_file_cut_inside_a_page_decodes_the_pages_before(int into)
    {
        // The reference file holds its audio in one page: laced ten segments a page, it has many.
        var file = Repaged;
        var pages = Split(file);
        int cut = pages.Take(4).Sum(p => p.Length) + into;
        Assert.True(pages[4][26] > 2 && pages[4].Length > into, "page 4 is long enough to cut inside");
        var whole = Decode(file);
        var part = Decode(file[..cut]);
        Assert.InRange(part.Length, 1, whole.Length - 1);
        Assert.Equal(whole[..part.Length], part);
    }

    [Fact]
    public void Without_any_granule_position_nothing_is_trimmed_from_the_end()
    {
        var (packets, _) = Packets(Original);
        var whole = Decode(Original);
        var untrimmed = Decode(Pages(packets, 255, -1));
        Assert.True(untrimmed.Length >= whole.Length);
        Assert.Equal(whole, untrimmed[..whole.Length]);
    }

    [Fact]
    public void The_output_gain_of_the_header_is_applied()
    {
        // Q7.8 dB: 1541 / 256 = 6.02 dB, a factor of 10^(1541 / 5120) = 2.0004.
        var (packets, granule) = Packets(Original);
        BinaryPrimitives.WriteInt16LittleEndian(packets[0].AsSpan(16), 1541);
        var louder = Decode(Pages(packets, 255, granule));
        var plain = Decode(Original);
        double factor = Math.Pow(10, 1541 / 5120.0);
        Assert.Equal(plain.Length, louder.Length);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i] * factor, louder[i], 1e-5);
    }

    [Fact]
    public void A_mono_header_over_the_same_packets_decodes_one_channel()
    {
        var (packets, granule) = Packets(Original);
        packets[0][9] = 1;
        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(Pages(packets, 255, granule)), "mono.opus");
        Assert.Equal(1, decoded.Channels);
        Assert.Equal(Decode(Original).Length / 2, decoded.Count);
        Assert.True(TestData.MaxAbs(decoded.Span) > 0.1f);
    }

    [Fact]
    public void Mapping_family_1_with_its_table_decodes_as_family_0()
    {
        // One coupled stream carrying both channels, left then right: the multistream decoder must give the same samples.
        var (packets, granule) = Packets(Original);
        byte[] head = [.. packets[0][..19], 1, 1, 0, 1];
        head[18] = 1;
        packets[0] = head;
        Assert.Equal(Decode(Original), Decode(Pages(packets, 255, granule)));
    }

    [Theory]
    [InlineData("short head", "invalid Ogg Opus file: no OpusHead packet")]
    [InlineData("version 16", "unsupported Ogg Opus version 16")]
    [InlineData("0 channels", "invalid header: 0 channels")]
    [InlineData("3 channels in family 0", "invalid Ogg Opus header: mapping family 0 with 3 channels")]
    [InlineData("family 1 without its table", "invalid Ogg Opus header: channel mapping table cut short")]
    [InlineData("no tags", "invalid Ogg Opus file: no OpusTags packet")]
    public void Bad_headers_are_refused_with_what_is_wrong(string what, string message)
    {
        var (packets, granule) = Packets(Original);
        var head = packets[0];
        switch (what)
        {
            case "short head": packets[0] = head[..18]; break;
            case "version 16": head[8] = 16; break;
            case "0 channels": head[9] = 0; break;
            case "3 channels in family 0": head[9] = 3; break;
            case "family 1 without its table": head[18] = 1; break;
            default: packets.RemoveRange(1, packets.Count - 1); break;
        }

        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(Pages(packets, 255, granule)), "x.opus"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    private static byte[] Original => System.IO.File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, File));

    private static byte[] Repaged
    {
        get
        {
            var (packets, granule) = Packets(Original);
            return Pages(packets, 10, granule);
        }
    }

    private static float[] Decode(byte[] bytes) => AudioDecoder.DecodeInterleaved(new MemoryStream(bytes), File).Span.ToArray();

    // The pages of a file, each as its bytes.
    private static List<byte[]> Split(byte[] file)
    {
        var pages = new List<byte[]>();
        for (int at = 0; at < file.Length;)
        {
            int segments = file[at + 26];
            int length = 27 + segments;
            for (int i = 0; i < segments; i++) length += file[at + 27 + i];
            pages.Add(file[at..(at + length)]);
            at += length;
        }

        return pages;
    }

    // The packets of the file's (only) logical stream, joined across pages, and the last page's granule position.
    private static (List<byte[]> Packets, long Granule) Packets(byte[] file)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        long granule = -1;
        foreach (var page in Split(file))
        {
            int segments = page[26], body = 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                int len = page[27 + i];
                current.AddRange(page.AsSpan(body, len).ToArray());
                body += len;
                if (len < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }

            long g = BinaryPrimitives.ReadInt64LittleEndian(page.AsSpan(6));
            if (g != -1) granule = g;
        }

        return (packets, granule);
    }

    // The packets laced into pages of at most segmentsPerPage segments; the head alone on the first page, as RFC 7845 asks;
    // every page's granule -1 except the last one's.
    private static byte[] Pages(List<byte[]> packets, int segmentsPerPage, long lastGranule)
    {
        var lacing = new List<(byte Length, int Packet, int Offset)>();
        for (int p = 0; p < packets.Count; p++)
        {
            int offset = 0;
            for (int left = packets[p].Length; ; left -= 255, offset += 255)
            {
                lacing.Add(((byte)Math.Min(255, left), p, offset));
                if (left < 255) break;
            }
        }

        var file = new List<byte>();
        int sequence = 0, at = 0;
        bool continued = false;
        while (at < lacing.Count)
        {
            int take = lacing[at].Packet == 0 ? lacing.TakeWhile(l => l.Packet == 0).Count() : Math.Min(segmentsPerPage, lacing.Count - at);
            var page = lacing.GetRange(at, take);
            var body = page.SelectMany(l => packets[l.Packet].AsSpan(l.Offset, l.Length).ToArray()).ToArray();
            at += take;
            bool last = at == lacing.Count;
            int flags = (sequence == 0 ? 2 : 0) | (continued ? 1 : 0) | (last ? 4 : 0);
            file.AddRange(Page(1, sequence++, flags, last ? lastGranule : -1, [.. page.Select(l => l.Length)], body));
            continued = page[^1].Length == 255;
        }

        return [.. file];
    }

    private static byte[] Page(int serial, int sequence, int flags, long granule, byte[] lacing, byte[] body)
    {
        var page = new byte[27 + lacing.Length + body.Length];
        "OggS"u8.CopyTo(page);
        page[5] = (byte)flags;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(18), sequence);
        page[26] = (byte)lacing.Length;
        lacing.CopyTo(page, 27);
        body.CopyTo(page, 27 + lacing.Length);
        uint crc = 0;
        foreach (var b in page)
        {
            crc ^= (uint)b << 24;
            for (int k = 0; k < 8; k++) crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), crc);
        return page;
    }
}

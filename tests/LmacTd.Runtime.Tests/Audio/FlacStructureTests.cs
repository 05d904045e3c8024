using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// FLAC streams written here from the specification: every frame-header coding the decoder must read (block sizes, rates,
/// sample sizes, coded numbers of every length), headers with reserved values (not frames: skipped), and damage that
/// must be refused with a message rather than decoded into garbage.
/// </summary>
public class FlacStructureTests
{
    [Fact]
    public void Frame_and_sample_numbers_of_every_coded_length_are_read()
    {
        // Fixed block size frames numbered 0, 200, 5000, ...; then variable block size frames carrying sample numbers to 36 bits.
        long[] numbers = [0, 200, 5000, 100_000, 3_000_000, 100_000_000, 0xFFFFFFFFF];
        var w = new FlacStreamWriter().StreamInfo(16, 8000, 1, 16, 16 * 2 * numbers.Length);
        var expected = new List<int>();
        foreach (bool variable in new[] { false, true })
        {
            foreach (long n in numbers)
            {
                long number = variable ? n : Math.Min(n, (1L << 31) - 1);
                int value = (int)(number % 30000) - 15000;
                w.Frame(6, 0, 0, 4, number, s => s.Constant(value, 16), blockSize: 16, variable: variable);
                expected.AddRange(Enumerable.Repeat(value, 16));
            }
        }

        AssertDecodes(w, expected, 1, 16);
    }

    [Theory]
    [InlineData(1, 0, 192)]
    [InlineData(2, 0, 576)]
    [InlineData(3, 0, 1152)]
    [InlineData(4, 0, 2304)]
    [InlineData(5, 0, 4608)]
    [InlineData(6, 1, 1)]
    [InlineData(6, 256, 256)]
    [InlineData(7, 300, 300)]
    [InlineData(7, 65536, 65536)]
    [InlineData(8, 0, 256)]
    [InlineData(11, 0, 2048)]
    [InlineData(12, 0, 4096)]
    [InlineData(15, 0, 32768)]
    public void Every_block_size_code_gives_its_block_size(int code, int field, int blockSize)
    {
        var w = new FlacStreamWriter().StreamInfo(blockSize, 44100, 2, 16, 2 * blockSize);
        w.Frame(code, 9, 1, 4, 0, s => s.Constant(1234, 16).Constant(-77, 16), blockSize: field);
        w.Frame(code, 9, 1, 4, 1, s => s.Constant(-5, 16).Constant(5, 16), blockSize: field);
        var expected = new List<int>();
        for (int i = 0; i < blockSize; i++) expected.AddRange([1234, -77]);
        for (int i = 0; i < blockSize; i++) expected.AddRange([-5, 5]);
        AssertDecodes(w, expected, 2, 16);
    }

    [Theory]
    [InlineData(0, 0, 12345)]       // from STREAMINFO
    [InlineData(4, 0, 8000)]        // table
    [InlineData(11, 0, 96000)]
    [InlineData(1, 0, 88200)]
    [InlineData(12, 12, 12000)]     // kHz in 8 bits
    [InlineData(13, 11025, 11025)]  // Hz in 16 bits
    [InlineData(14, 3780, 37800)]   // tens of Hz in 16 bits
    public void Every_rate_code_gives_its_rate(int code, int field, int rate)
    {
        var w = new FlacStreamWriter().StreamInfo(16, rate, 1, 16, 16);
        w.Frame(6, code, 0, 4, 0, s => s.Constant(99, 16), blockSize: 16, rateField: field);
        Assert.Equal(rate, AssertDecodes(w, Enumerable.Repeat(99, 16), 1, 16).SampleRate);
    }

    [Fact]
    public void A_frame_at_another_rate_than_streaminfo_is_refused_naming_both()
    {
        var w = new FlacStreamWriter().StreamInfo(16, 12000, 1, 16, 16);
        w.Frame(6, 12, 0, 4, 0, s => s.Constant(99, 16), blockSize: 16, rateField: 11);
        AssertRefused(w, "corrupt FLAC: the frame at byte 42 is at 11000 Hz, STREAMINFO at 12000 Hz");
    }

    [Fact]
    public void A_frame_with_other_channels_than_streaminfo_is_refused_naming_both()
    {
        var w = new FlacStreamWriter().StreamInfo(16, 8000, 1, 16, 16);
        w.Frame(6, 0, 1, 4, 0, s => s.Constant(1, 16).Constant(2, 16), blockSize: 16);
        AssertRefused(w, "corrupt FLAC: the frame at byte 42 has 2 channels, STREAMINFO 1");
    }

    [Theory]
    [InlineData(0, 4)]   // from STREAMINFO: 4 bits, the fewest the format allows
    [InlineData(0, 10)]
    [InlineData(1, 8)]
    [InlineData(2, 12)]
    [InlineData(5, 20)]
    [InlineData(6, 24)]
    public void Every_sample_size_code_gives_its_width(int code, int bits)
    {
        int max = (1 << (bits - 1)) - 1;
        var values = new[] { max, -max - 1, 1, 0, -1, max / 3 };
        var w = new FlacStreamWriter().StreamInfo(6, 8000, 1, bits, 6);
        w.Frame(6, 0, 0, code, 0, s => s.Verbatim(values, bits), blockSize: 6);
        AssertDecodes(w, values, 1, bits);
    }

    [Fact]
    public void A_frame_wider_than_24_bits_is_refused()
    {
        var w = new FlacStreamWriter().StreamInfo(4, 8000, 1, 16, 4);
        w.Frame(6, 0, 0, 7, 0, s => s.Verbatim([1, 2, 3, 4], 32), blockSize: 4);
        AssertRefused(w, "the frame at byte 42 has 32 bits per sample (4-24 are supported)");
    }

    [Theory]
    [InlineData("reserved bit")]
    [InlineData("block size code 0")]
    [InlineData("rate code 15")]
    [InlineData("channel assignment 11")]
    [InlineData("sample size code 3")]
    [InlineData("bad coded number")]
    public void A_header_with_a_reserved_value_is_not_a_frame_and_is_skipped(string what)
    {
        var w = new FlacStreamWriter().StreamInfo(16, 8000, 1, 16, 32);
        w.Frame(6, 0, 0, 4, 0, s => s.Constant(100, 16), blockSize: 16);
        Action<FlacStreamWriter> junk = s => s.Constant(-100, 16);
        _ = what switch
        {
            "reserved bit" => w.Frame(6, 0, 0, 4, 1, junk, blockSize: 16, reserved: 1),
            "block size code 0" => w.Frame(0, 0, 0, 4, 1, junk),
            "rate code 15" => w.Frame(6, 15, 0, 4, 1, junk, blockSize: 16),
            "channel assignment 11" => w.Frame(6, 0, 11, 4, 1, junk, blockSize: 16),
            "sample size code 3" => w.Frame(6, 0, 0, 3, 1, junk, blockSize: 16),
            _ => w.Frame(6, 0, 0, 4, 1, junk, blockSize: 16, rawNumber: [0xC2, 0x41]),
        };
        w.Frame(6, 0, 0, 4, 2, s => s.Constant(300, 16), blockSize: 16);
        AssertDecodes(w, Enumerable.Repeat(100, 16).Concat(Enumerable.Repeat(300, 16)), 1, 16);
    }

    [Theory]
    [InlineData("padding bit", "subframe padding bit is set")]
    [InlineData("reserved type", "reserved subframe type 2")]
    [InlineData("all bits wasted", "16 wasted bits of 16")]
    [InlineData("fixed order past the block", "fixed predictor of order 4 in a block of 3")]
    [InlineData("lpc order past the block", "LPC of order 4 in a block of 3")]
    [InlineData("lpc precision", "invalid LPC coefficient precision")]
    [InlineData("negative shift", "negative LPC shift -1")]
    [InlineData("residual method", "reserved residual coding method 2")]
    [InlineData("partitions", "partition order 1 does not fit a block of 3 with predictor order 1")]
    [InlineData("partition shorter than the order", "partition order 1 does not fit a block of 4 with predictor order 3")]
    public void Damaged_subframes_are_refused_with_what_is_wrong(string what, string message)
    {
        int block = what == "partition shorter than the order" ? 4 : 3;
        var w = new FlacStreamWriter().StreamInfo(block, 8000, 1, 16, block);
        w.Frame(6, 0, 0, 4, 0, s =>
        {
            switch (what)
            {
                case "padding bit": s.Bits(1, 1).Bits(0, 6).Bits(0, 1).Signed(5, 16); break;
                case "reserved type": s.Bits(0, 1).Bits(2, 6).Bits(0, 1); break;
                case "all bits wasted": s.Bits(0, 1).Bits(0, 6).Bits(1, 1).Bits(1, 16); break; // unary 15 -> 16 wasted
                case "fixed order past the block": s.Bits(0, 1).Bits(8 + 4, 6).Bits(0, 1); break;
                case "lpc order past the block": s.Bits(0, 1).Bits(32 + 3, 6).Bits(0, 1); break;
                case "lpc precision": s.Bits(0, 1).Bits(32, 6).Bits(0, 1).Signed(7, 16).Bits(15, 4); break;
                case "negative shift": s.Bits(0, 1).Bits(32, 6).Bits(0, 1).Signed(7, 16).Bits(3, 4).Signed(-1, 5); break;
                case "residual method": s.Bits(0, 1).Bits(8 + 1, 6).Bits(0, 1).Signed(7, 16).Bits(2, 2); break;
                case "partitions": s.Bits(0, 1).Bits(8 + 1, 6).Bits(0, 1).Signed(7, 16).Bits(0, 2).Bits(1, 4); break;
                default: s.Bits(0, 1).Bits(8 + 3, 6).Bits(0, 1).Signed(1, 16).Signed(2, 16).Signed(3, 16).Bits(0, 2).Bits(1, 4); break;
            }

            for (int i = 0; i < 8; i++) s.Bits(0, 8);
        }, blockSize: block);
        AssertRefused(w, message);
    }

    [Fact]
    public void A_shift_of_zero_a_predictor_as_long_as_the_block_and_a_partition_of_warm_up_only_are_accepted()
    {
        // LPC order 1, coefficient 1, shift 0: each sample is the previous plus its residual. FIXED order 3 over 3 samples:
        // warm-up only. FIXED order 2 in two partitions of 2: the first holds only the warm-up, no residual.
        var w = new FlacStreamWriter().StreamInfo(4, 8000, 1, 16, 11);
        w.Frame(6, 0, 0, 4, 0, s => s.Bits(0, 1).Bits(32, 6).Bits(0, 1).Signed(10, 16).Bits(1, 4).Signed(0, 5).Signed(1, 2)
            .Bits(0, 2).Bits(0, 4).Bits(2, 4).Rice(3, 2).Rice(-4, 2).Rice(5, 2), blockSize: 4);
        w.Frame(6, 0, 0, 4, 1, s => s.Bits(0, 1).Bits(8 + 3, 6).Bits(0, 1).Signed(-1, 16).Signed(-2, 16).Signed(-3, 16)
            .Bits(0, 2).Bits(0, 4).Bits(0, 4), blockSize: 3);
        w.Frame(6, 0, 0, 4, 2, s => s.Bits(0, 1).Bits(8 + 2, 6).Bits(0, 1).Signed(100, 16).Signed(110, 16)
            .Bits(0, 2).Bits(1, 4).Bits(0, 4).Bits(1, 4).Rice(1, 1).Rice(-2, 1), blockSize: 4);
        AssertDecodes(w, [10, 13, 9, 14, -1, -2, -3, 100, 110, 121, 130], 1, 16);
    }

    [Theory]
    [InlineData("streaminfo of 20 bytes", "invalid FLAC STREAMINFO of 20 bytes")]
    [InlineData("3 bits", "invalid FLAC STREAMINFO: 3 bits per sample")]
    [InlineData("padding first", "invalid FLAC file: the first metadata block is not STREAMINFO")]
    [InlineData("block past the end", "truncated FLAC file: a metadata block runs past the end")]
    [InlineData("cut in the block header", "truncated FLAC file: a metadata block runs past the end")]
    [InlineData("no frames", "holds no audio samples")]
    [InlineData("32 bits", "32-bit FLAC is not supported (up to 24 bits)")]
    public void Damaged_metadata_is_refused_with_what_is_wrong(string what, string message)
    {
        var w = new FlacStreamWriter();
        switch (what)
        {
            case "streaminfo of 20 bytes":
                w.Bytes("fLaC"u8).Bits(1, 1).Bits(0, 7).Bits(20, 24);
                for (int i = 0; i < 20; i++) w.Bits(0, 8);
                break;
            case "3 bits": w.StreamInfo(16, 8000, 1, 3, 16); break;
            case "32 bits": w.StreamInfo(16, 8000, 1, 32, 16); break;
            case "padding first": w.Bytes("fLaC"u8).MetadataBlock(1, 10, false).StreamInfo(16, 8000, 1, 16, 16); break;
            case "block past the end": w.StreamInfo(16, 8000, 1, 16, 16, last: false).MetadataBlock(1, 0, true).Bits(0, 0); break;
            case "cut in the block header": w.StreamInfo(16, 8000, 1, 16, 16, last: false).Bits(0x01, 8); break;
            default: w.StreamInfo(16, 8000, 1, 16, 16, last: false).MetadataBlock(1, 6, true); break; // ends exactly at the end of the file
        }

        var bytes = w.ToArray();
        if (what == "padding first") bytes = [.. bytes[..18], .. bytes[22..]]; // the second "fLaC" out: padding, then STREAMINFO
        if (what == "block past the end")
        {
            // The padding block claims 100 bytes but the file ends after 10.
            bytes = [.. bytes, .. new byte[10]];
            bytes[42 + 3] = 100;
        }

        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(bytes), "x.flac"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Junk_between_frames_is_skipped_to_the_next_frame()
    {
        var w = new FlacStreamWriter().StreamInfo(16, 8000, 1, 16, 48);
        w.Frame(6, 0, 0, 4, 0, s => s.Constant(1, 16), blockSize: 16);
        w.Bytes([0xFF, 0xF8, 0x00, 0x12, 0xFF, 0x00, 0xFF, 0xF9, 0x55]); // sync-like bytes that are no header
        w.Frame(6, 0, 0, 4, 1, s => s.Constant(2, 16), blockSize: 16);
        w.Bytes(new byte[37]);
        w.Frame(6, 0, 0, 4, 2, s => s.Constant(3, 16), blockSize: 16);
        AssertDecodes(w, Enumerable.Repeat(1, 16).Concat(Enumerable.Repeat(2, 16)).Concat(Enumerable.Repeat(3, 16)), 1, 16);
    }

    private static DecodedAudio AssertDecodes(FlacStreamWriter w, IEnumerable<int> expected, int channels, int bits)
    {
        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(w.ToArray()), "x.flac");
        var want = expected.ToArray();
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal(want.Length, decoded.Count);
        float full = 1 << (bits - 1);
        for (int i = 0; i < want.Length; i++) Assert.True(want[i] == decoded.Span[i] * full, $"sample {i}: {decoded.Span[i] * full} vs {want[i]}");
        return decoded;
    }

    private static void AssertRefused(FlacStreamWriter w, string message)
    {
        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(new MemoryStream(w.ToArray()), "x.flac"));
        Assert.Equal("x.flac", e.File);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}

using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>FLAC and AIFF against the reference tools' own decodes, sample for sample; Opus against its source.</summary>
public class ReferenceDecodeTests
{
    public static TheoryData<string> Lossless() => ReferenceFiles.Named("flac", "aiff", "aifc");

    public static TheoryData<string> Flac() => ReferenceFiles.Named("flac");

    [Theory]
    [MemberData(nameof(Lossless))]
    public void Decodes_bit_exact_against_the_reference_tool(string file)
    {
        var c = ReferenceFiles.Case(file);
        var expected = ReferenceFiles.Raw(file, c.Bits);
        using var stream = File.OpenRead(Path.Combine(ReferenceFiles.Dir, file));
        var decoded = AudioDecoder.DecodeInterleaved(stream, file);

        Assert.Equal(c.Channels, decoded.Channels);
        Assert.Equal(c.Rate, decoded.SampleRate);
        Assert.Equal(expected.Length, decoded.Count);
        Assert.Equal(expected.Length / c.Channels, decoded.DeclaredFrames);
        float full = 1 << (c.Bits - 1);
        var got = decoded.Span;
        int mismatches = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            // Every integer of up to 24 bits is exact in a float, so the scaled value must be the integer.
            if (got[i] * full != expected[i] && mismatches++ == 0) first = i;
        }

        Assert.True(mismatches == 0, $"{mismatches} samples differ, first at {first}: {(first >= 0 ? got[first] * full : 0)} vs {(first >= 0 ? expected[first] : 0)}");
        Assert.True(expected.Any(v => v != 0) || file.Contains("silence", StringComparison.Ordinal), "the reference holds signal");
    }

    [Theory]
    [MemberData(nameof(Lossless))]
    public void The_clip_is_the_channel_average_of_the_reference(string file)
    {
        var c = ReferenceFiles.Case(file);
        var expected = ReferenceFiles.Raw(file, c.Bits);
        var clip = AudioDecoder.Load(Path.Combine(ReferenceFiles.Dir, file));
        Assert.Equal(c.Channels, clip.SourceChannels);
        Assert.False(clip.Truncated);
        Assert.Equal(clip.DurationSeconds, clip.DeclaredSeconds!.Value, 9);
        double full = 1 << (c.Bits - 1);
        for (int f = 0; f < clip.Samples.Length; f++)
        {
            double sum = 0;
            for (int ch = 0; ch < c.Channels; ch++) sum += expected[f * c.Channels + ch];
            Assert.Equal(sum / c.Channels / full, clip.Samples[f], 1e-6);
        }
    }

    [Fact]
    public void Ogg_opus_decodes_to_its_source_at_48_kHz()
    {
        const string file = "opus-stereo.opus";
        var c = ReferenceFiles.Case(file);
        var source = ReferenceFiles.Raw(file, c.Bits);
        using var stream = File.OpenRead(Path.Combine(ReferenceFiles.Dir, file));
        var decoded = AudioDecoder.DecodeInterleaved(stream, file);

        Assert.Equal(48000, decoded.SampleRate);
        Assert.Equal(c.Channels, decoded.Channels);

        // Pre-skip and the end granule make the decode exactly as long as what was encoded.
        Assert.Equal(source.Length, decoded.Count);
        double signal = 0, error = 0;
        var got = decoded.Span;
        for (int i = 0; i < source.Length; i++)
        {
            double s = source[i] / 32768.0;
            signal += s * s;
            error += (got[i] - s) * (got[i] - s);
        }

        double snr = 10 * Math.Log10(signal / error);
        Assert.True(snr > 20, $"SNR {snr:F1} dB against the source");
    }
}

using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>
/// MP3 and Ogg Vorbis decoding against other decoders' output of the same files (tests/data/codecs, made by its
/// make.sh: mpg123 for MP3, FFmpeg for Vorbis). The clips are non-silent and differ per channel, so a decoder that
/// returns zeros, drops a channel or shifts the signal fails.
/// </summary>
public class AudioDecoderCodecTests
{
    private static string Codecs => Path.Combine(TestData.RepoRoot, "tests", "data", "codecs");

    // Tolerances about 10x the largest difference measured (x86-64, .NET 10; mpg123 1.31.2, FFmpeg 5.1.9):
    // NLayer against mpg123 1.06e-6, NVorbis against FFmpeg's Vorbis decoder 2.53e-7. Lengths agree exactly
    // (the MP3 has no LAME tag, so neither decoder trims the encoder's delay).
    [Theory]
    [InlineData("chord.mp3", 1e-5)]
    [InlineData("chord.ogg", 3e-6)]
    public void Decodes_like_a_reference_decoder(string file, double tolerance)
    {
        var reference = ReferenceMono(Path.Combine(Codecs, file + ".ref.f32"));

        var clip = AudioDecoder.Load(Path.Combine(Codecs, file));

        Assert.Equal(44100, clip.SampleRate);
        Assert.Equal(2, clip.SourceChannels);
        Assert.True(TestData.MaxAbs(reference) > 0.2f);
        Assert.Equal(reference.Length, clip.Samples.Length);
        double maxError = 0;
        for (int i = 0; i < reference.Length; i++) maxError = Math.Max(maxError, Math.Abs(reference[i] - clip.Samples[i]));
        Assert.True(maxError <= tolerance, $"{file}: {clip.Samples.Length} samples against {reference.Length}; largest difference {maxError:E2}");
    }

    // The reference decode, float32 little-endian interleaved L R, averaged to mono as the decoder does.
    private static float[] ReferenceMono(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var interleaved = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, interleaved, 0, interleaved.Length * 4);
        var mono = new float[interleaved.Length / 2];
        for (int i = 0; i < mono.Length; i++) mono[i] = (interleaved[2 * i] + interleaved[(2 * i) + 1]) / 2;
        return mono;
    }

    [Fact]
    public void A_vorbis_clip_longer_than_one_read_decodes_whole_like_libvorbis()
    {
        // long.ogg (make-long.sh): 1.5 s stereo, 132300 samples, two reads of 65536 and a third. The reference is
        // libvorbis's decode (through sox) at every 16th frame.
        var bytes = File.ReadAllBytes(Path.Combine(Codecs, "long.ogg.ref16.f32"));
        var reference = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, reference, 0, bytes.Length);
        var decoded = AudioDecoder.DecodeInterleaved(new MemoryStream(File.ReadAllBytes(Path.Combine(Codecs, "long.ogg"))), "long.ogg");
        Assert.Equal(2, decoded.Channels);
        Assert.Equal(66150, decoded.Frames);
        Assert.Equal(reference.Length / 2, (decoded.Frames + 15) / 16);
        double maxError = 0;
        for (int k = 0; k < reference.Length / 2; k++)
        {
            for (int c = 0; c < 2; c++) maxError = Math.Max(maxError, Math.Abs(reference[2 * k + c] - decoded.Span[2 * 16 * k + c]));
        }

        // sox reads Vorbis through libvorbisfile at 16 bits, so the reference is rounded to 16-bit steps: measured
        // 1.55e-5 (x86-64, .NET 10, sox 14.4.2), half a step; the tolerance is one step.
        Assert.True(maxError <= 1.0 / 32768, $"largest difference {maxError:E2}");
        Assert.True(TestData.MaxAbs(decoded.Span[^20000..]) > 0.1f, "the end holds signal");
    }

    [Fact]
    public void An_mp3_longer_than_one_read_decodes_whole()
    {
        // Three copies of chord.mp3 back to back are one valid stream of three times the frames (the encoder wrote no tag
        // and each copy's first frame uses no bit reservoir): 3 x 13824 stereo frames, more than one read of 65536 samples.
        var once = File.ReadAllBytes(Path.Combine(Codecs, "chord.mp3"));
        var single = AudioDecoder.DecodeInterleaved(new MemoryStream(once), "once.mp3");
        var triple = AudioDecoder.DecodeInterleaved(new MemoryStream([.. once, .. once, .. once]), "thrice.mp3");
        Assert.Equal(3 * single.Count, triple.Count);
        Assert.True(triple.Count > 65536);

        // Away from the joins (the synthesis filters carry two frames of state across them) each copy is the single decode.
        int skip = 2 * 2 * 1152;
        for (int copy = 1; copy < 3; copy++)
        {
            var part = triple.Span.Slice(copy * single.Count + skip, single.Count - skip);
            Assert.True(TestData.MaxAbsDiff(single.Span[skip..], part) <= 1e-6f, $"copy {copy}");
        }
    }
}

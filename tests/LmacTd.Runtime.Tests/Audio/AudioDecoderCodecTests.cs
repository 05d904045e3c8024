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
}

using LmacTd.Runtime.Audio;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>Reference files with random bytes changed or cut: each decodes or fails with an <see cref="AudioFormatException"/>, never anything else.</summary>
public class MutatedFileTests
{
    private static readonly int Trials = int.TryParse(Environment.GetEnvironmentVariable("LMACTD_MUTATION_TRIALS"), out var n) ? n : 60;

    public static TheoryData<string> Files()
    {
        var files = ReferenceFiles.Named("flac", "aiff", "aifc", "opus");
        files.Add("generated.wav");
        files.Add("generated-extensible.wav");
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Damaged_copies_decode_or_fail_with_an_audio_format_exception(string file)
    {
        var original = file.StartsWith("generated", StringComparison.Ordinal)
            ? WavBuilder.Build(TestData.Noise(3000, 9), 2, 22050, 24, false, file.Contains("extensible", StringComparison.Ordinal))
            : File.ReadAllBytes(Path.Combine(ReferenceFiles.Dir, file));
        var rng = new Random(file.Length * 7919 + original.Length);
        for (int trial = 0; trial < Trials; trial++)
        {
            var bytes = (byte[])original.Clone();

            // Most damage lands in the first kilobyte, where the headers are.
            int flips = 1 + rng.Next(4);
            for (int f = 0; f < flips; f++)
            {
                int at = rng.Next(2) == 0 ? rng.Next(Math.Min(1024, bytes.Length)) : rng.Next(bytes.Length);
                bytes[at] = (byte)rng.Next(256);
            }

            if (trial % 5 == 0) bytes = bytes[..rng.Next(4, bytes.Length)];
            try
            {
                var clip = AudioDecoder.Decode(new MemoryStream(bytes), file);
                Assert.True(clip.Samples.Length > 0);
            }
            catch (AudioFormatException e)
            {
                Assert.Equal(file, e.File);
            }
        }
    }
}

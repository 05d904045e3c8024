using System.Globalization;

namespace LmacTd.Runtime.Tests.Audio;

/// <summary>The reference files of tests/data/audio (made by its make.sh with flac, sox and opusenc) and their raw decodes.</summary>
internal static class ReferenceFiles
{
    public static string Dir => Path.Combine(TestData.RepoRoot, "tests", "data", "audio");

    /// <summary>Rows of cases.tsv: file, format, bits, channels, rate.</summary>
    public static IEnumerable<(string File, string Format, int Bits, int Channels, int Rate)> Cases() =>
        File.ReadAllLines(Path.Combine(Dir, "cases.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(c =>
            (c[0], c[1], int.Parse(c[2], CultureInfo.InvariantCulture), int.Parse(c[3], CultureInfo.InvariantCulture), int.Parse(c[4], CultureInfo.InvariantCulture)));

    public static TheoryData<string> Named(params string[] formats)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases().Where(c => formats.Contains(c.Format))) data.Add(c.File);
        return data;
    }

    public static (string File, string Format, int Bits, int Channels, int Rate) Case(string file) => Cases().Single(c => c.File == file);

    /// <summary>The reference tool's decode: little-endian signed integers of <paramref name="bits"/> (8, 16 or 24).</summary>
    public static int[] Raw(string file, int bits)
    {
        var raw = File.ReadAllBytes(Path.Combine(Dir, Path.ChangeExtension(file, ".raw")));
        int size = bits / 8;
        var samples = new int[raw.Length / size];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = bits switch
            {
                8 => (sbyte)raw[i],
                16 => (short)(raw[2 * i] | (raw[2 * i + 1] << 8)),
                _ => (raw[3 * i] << 8 | raw[3 * i + 1] << 16 | raw[3 * i + 2] << 24) >> 8,
            };
        }

        return samples;
    }
}

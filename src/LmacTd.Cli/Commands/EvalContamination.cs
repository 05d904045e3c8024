using LmacTd.Runtime.Audio;
using LmacTd.Runtime.Metrics;

namespace LmacTd.Cli.Commands;

/// <summary>
/// The clip as <c>lmactd eval</c>'s explainers see it: as it is, or mixed as the paper's contaminated sets are. The
/// draw of clip <c>i</c> depends only on the seed and <c>i</c>, its index in the full input list, so a clip gets the
/// same contaminant in every process, whichever clips failed before it and whichever shard it falls in.
/// </summary>
internal static class EvalContamination
{
    /// <summary>Clip <paramref name="index"/> of <paramref name="items"/> (the full list), contaminated per <paramref name="settings"/>.</summary>
    public static AudioClip Load(IReadOnlyList<EvalItem> items, int index, IReadOnlyList<EvalItem> speechPool, EvalSettings settings)
    {
        var clip = AudioDecoder.Load(items[index].Path);
        if (settings.Contaminate == ContaminationKind.None) return clip;

        var random = new Random(ClipSeed(settings.Seed, index));
        float[] contaminant;
        switch (settings.Contaminate)
        {
            case ContaminationKind.Noise:
                contaminant = new float[clip.Samples.Length];
                Contamination.WhiteNoise(random, contaminant);
                break;
            case ContaminationKind.Mixture:
                contaminant = LoadAt(Pick(items, index, random), clip.SampleRate);
                break;
            default:
                var candidates = speechPool.Where(s => !PathsEqual(s.Path, items[index].Path)).ToList();
                if (candidates.Count == 0) throw new ArgumentException("no other speech clip to mix in");
                contaminant = LoadAt(candidates[random.Next(candidates.Count)], clip.SampleRate);
                break;
        }

        var mixed = new float[clip.Samples.Length];
        Contamination.Mix(clip.Samples, contaminant, mixed);
        return new AudioClip(mixed, clip.SampleRate, clip.SourceChannels, clip.Source);
    }

    /// <summary>
    /// The seed of clip <paramref name="index"/>'s generator: a fixed mix (SplitMix64's finaliser) of the run's seed and
    /// the index. Not <see cref="HashCode"/>, which is salted per process and would give every shard other draws.
    /// </summary>
    public static int ClipSeed(int seed, int index)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }

    // Another clip to mix in, of another class when the labels say which: the paper's mixtures.
    private static EvalItem Pick(IReadOnlyList<EvalItem> items, int index, Random random)
    {
        var self = items[index];
        var others = items.Where((it, j) => j != index && (self.Label is null || it.Label is null || it.Label != self.Label)).ToList();
        if (others.Count == 0) others = items.Where((_, j) => j != index).ToList();
        if (others.Count == 0) throw new ArgumentException("no other clip in the set to mix in");
        return others[random.Next(others.Count)];
    }

    private static float[] LoadAt(EvalItem item, int sampleRate)
    {
        var c = AudioDecoder.Load(item.Path);
        return c.SampleRate == sampleRate ? c.Samples : Resampler.Resample(c.Samples, c.SampleRate, sampleRate);
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}

using System.Collections.Concurrent;
using LmacTd.Runtime.Packages;

namespace LmacTd.Runtime.Features;

/// <summary>
/// Log-mel extractors for one front end, kept for the next call (each holds its FFT tables and scratch, about 70 KB),
/// and the front end of whole signals spread over the cores, a range of frames per task. Thread-safe.
/// </summary>
internal sealed class LogMelPool
{
    /// <summary>
    /// Frames per task: a multiple of every lane count, small enough that two cores share a 5 s clip's 431 frames
    /// evenly (7 tasks), large enough that a task (about 0.2 ms) outweighs handing it to a thread.
    /// </summary>
    public const int ChunkFrames = 64;

    private readonly ConcurrentBag<LogMelExtractor> _free = [];
    private readonly int _keep = Math.Max(2, 2 * Environment.ProcessorCount);

    /// <summary>A pool for the front end <paramref name="settings"/> describes, sharing <paramref name="filterbank"/>.</summary>
    public LogMelPool(FrontEndSettings settings, MelFilterbank filterbank)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(filterbank);
        settings.Validate();
        Settings = settings;
        Filterbank = filterbank;
    }

    /// <summary>The front end.</summary>
    public FrontEndSettings Settings { get; }

    /// <summary>The shared filterbank.</summary>
    public MelFilterbank Filterbank { get; }

    /// <summary>An extractor for this thread's use until <see cref="Return"/>.</summary>
    public LogMelExtractor Rent() => _free.TryTake(out var e) ? e : new LogMelExtractor(Settings, Filterbank);

    /// <summary>Gives back an extractor from <see cref="Rent"/>.</summary>
    public void Return(LogMelExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        if (_free.Count < _keep) _free.Add(extractor);
    }

    /// <summary>
    /// The log-mels of <paramref name="rows"/> signals of <paramref name="samples"/> samples each, back to back in
    /// <paramref name="signals"/>, into <paramref name="output"/> (<c>frames * nMels</c> per row, back to back): the
    /// numbers of <see cref="LogMelExtractor.Process(ReadOnlySpan{float}, Span{float})"/>, in parallel.
    /// </summary>
    public void ProcessRows(float[] signals, int samples, int rows, float[] output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(output);
        int frames = Settings.Stft.FramesFor(samples), mels = Settings.NMels, item = frames * mels;
        if (signals.Length < (long)rows * samples) throw new ArgumentException($"need {(long)rows * samples} samples", nameof(signals));
        if (output.Length < (long)rows * item) throw new ArgumentException($"need room for {(long)rows * item} values", nameof(output));
        int chunks = (frames + ChunkFrames - 1) / ChunkFrames, tasks = rows * chunks;
        void Chunk(int task, LogMelExtractor extractor)
        {
            int row = task / chunks, first = task % chunks * ChunkFrames, count = Math.Min(ChunkFrames, frames - first);
            extractor.Process(signals.AsSpan(row * samples, samples), first, count, output.AsSpan((row * item) + (first * mels), count * mels));
        }

        if (tasks <= 1 || Environment.ProcessorCount == 1)
        {
            var one = Rent();
            for (int t = 0; t < tasks; t++) Chunk(t, one);
            Return(one);
            return;
        }

        // At most one task per core: with more (Parallel.For starts one on every idle pool thread), extractors beyond the
        // two per core the pool keeps were made and dropped on every call, about 100 KB of garbage a window.
        Parallel.For(0, tasks, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, Rent,
            (task, _, extractor) =>
            {
                Chunk(task, extractor);
                return extractor;
            },
            Return);
    }
}

using System.Diagnostics;

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>Adds up the time of each stage over the batches of one call (thread-safe: batches of a call may overlap).</summary>
internal sealed class StageClock
{
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private readonly long[] _ticks = new long[6];

    public enum Stage
    {
        Prepare,
        FrontEnd,
        Classifier,
        Interpreter,
        Evidence,
        Assemble,
    }

    public void Add(Stage stage, long ticks) => Interlocked.Add(ref _ticks[(int)stage], ticks);

    /// <summary>
    /// Adds the time since <paramref name="since"/> (a <see cref="Stopwatch.GetTimestamp"/>) to <paramref name="stage"/>
    /// and returns the timestamp now, for the next stage: unlike <see cref="Time"/>, no delegate to allocate.
    /// </summary>
    public long Lap(Stage stage, long since)
    {
        long now = Stopwatch.GetTimestamp();
        Add(stage, now - since);
        return now;
    }

    /// <summary>Times <paramref name="action"/> as <paramref name="stage"/>.</summary>
    public void Time(Stage stage, Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        Add(stage, Stopwatch.GetTimestamp() - t0);
    }

    public StageTimings ToTimings() => new()
    {
        Prepare = Of(Stage.Prepare),
        FrontEnd = Of(Stage.FrontEnd),
        Classifier = Of(Stage.Classifier),
        Interpreter = Of(Stage.Interpreter),
        Evidence = Of(Stage.Evidence),
        Assemble = Of(Stage.Assemble),
        Total = _total.Elapsed,
    };

    private TimeSpan Of(Stage stage) => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)stage]));
}

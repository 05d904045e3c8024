using System.Diagnostics;

namespace LmacTd.Cli.Commands;

/// <summary>
/// Progress of a long run: a bar with rate and time left, redrawn in place on a terminal; one plain line per step
/// when the output is redirected (logs stay readable).
/// </summary>
internal sealed class ProgressReporter
{
    private const int BarWidth = 30;
    private readonly TextWriter _output;
    private readonly int _total;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;

    /// <summary>Creates a reporter for <paramref name="total"/> steps.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="total">The number of steps.</param>
    /// <param name="interactive">True to redraw a bar in place (a terminal); false for plain lines.</param>
    public ProgressReporter(TextWriter output, int total, bool interactive)
    {
        _output = output;
        _total = Math.Max(total, 1);
        _interactive = interactive;
    }

    /// <summary>Records one finished step and what it gave.</summary>
    /// <param name="message">A short description of the step's result.</param>
    public void Step(string message)
    {
        _done++;
        double elapsed = _clock.Elapsed.TotalSeconds;
        double rate = _done / Math.Max(elapsed, 1e-9);
        double left = (_total - _done) / Math.Max(rate, 1e-9);
        if (_interactive)
        {
            int filled = (int)Math.Round(BarWidth * (double)_done / _total);
            var bar = new string('#', filled) + new string('-', BarWidth - filled);
            _output.Write($"\r[{bar}] {_done}/{_total} {rate:0.00} clips/s, {FormatTime(left)} left ");
            if (_done == _total) _output.WriteLine();
        }
        else
        {
            _output.WriteLine($"[{_done}/{_total}] {message} ({rate:0.00} clips/s, {FormatTime(left)} left)");
        }
    }

    private static string FormatTime(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : $"{t.Minutes}m{t.Seconds:00}s";
    }
}

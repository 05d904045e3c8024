using System.Runtime.InteropServices;

namespace LmacTd.Cli;

/// <summary>
/// Turns Ctrl-C, SIGINT and SIGTERM into a cancelled token while it is alive, instead of ending the process: the
/// commands then stop at a point where every output is whole (<c>explain</c> between inputs, never between the renames
/// of one input's outputs) and exit with code 130. Every signal is handled this way, so a run always ends cleanly;
/// SIGKILL remains for a process that must end at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>Starts listening.</summary>
    public Interruption()
    {
        // PosixSignalRegistration covers Console.CancelKeyPress's Ctrl-C (SIGINT on every platform) and SIGTERM
        // (a scheduler's or `docker stop`'s polite stop) with one mechanism.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal cannot send it either.
            }
        }
    }

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _registrations.Clear();
        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run has already ended; there is nothing left to stop.
        }
    }
}

namespace LmacTd.Runtime.Explaining.Pipeline;

/// <summary>
/// Lets calls into the native sessions in until <see cref="Close"/>, which stops those in flight (their token fires,
/// so ONNX Runtime terminates their runs) and waits for them to leave before the sessions may be released. Without
/// it, disposing an explainer while other threads run it crashes the process in native code.
/// </summary>
internal sealed class CallGate : IDisposable
{
    private readonly object _lock = new();
    private readonly CancellationTokenSource _closing = new();
    private int _inside;
    private bool _closed;

    /// <summary>Whether <see cref="Close"/> has been called.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Enters; the lease's token fires on <paramref name="cancellationToken"/> or when the gate closes.</summary>
    /// <exception cref="ObjectDisposedException">The gate is closed.</exception>
    public Lease Enter(object owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, owner);
            _inside++;
        }

        try
        {
            // A caller's token that cannot fire needs no linked source: the gate's own token is the lease's.
            return new Lease(this, owner, cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_closing.Token, cancellationToken) : null);
        }
        catch
        {
            Leave();
            throw;
        }
    }

    /// <summary>Closes the gate, stops the calls inside and waits until they have left.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
        }

        _closing.Cancel();
        lock (_lock)
        {
            while (_inside > 0) Monitor.Wait(_lock);
        }
    }

    public void Dispose() => _closing.Dispose();

    private void Leave()
    {
        lock (_lock)
        {
            if (--_inside == 0 && _closed) Monitor.PulseAll(_lock);
        }
    }

    /// <summary>One call inside the gate.</summary>
    internal sealed class Lease(CallGate gate, object owner, CancellationTokenSource? linked) : IDisposable
    {
        private int _left;

        public CancellationToken Token => linked?.Token ?? gate._closing.Token;

        /// <summary>
        /// What a cancellation inside the lease means to the caller: the explainer was disposed under it
        /// (<see cref="ObjectDisposedException"/>), or the caller cancelled (an exception carrying the caller's token).
        /// </summary>
        public Exception Translate(OperationCanceledException e, CancellationToken callerToken) =>
            gate._closing.IsCancellationRequested
                ? new ObjectDisposedException(owner.GetType().FullName, "the explainer was disposed while this call was running")
                : new OperationCanceledException("the explanation was cancelled", e, callerToken);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) != 0) return;
            linked?.Dispose();
            gate.Leave();
        }
    }
}

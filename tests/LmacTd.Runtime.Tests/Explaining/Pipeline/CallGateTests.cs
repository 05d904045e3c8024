using LmacTd.Runtime.Explaining.Pipeline;

namespace LmacTd.Runtime.Tests.Explaining.Pipeline;

/// <summary>
/// The gate in front of the native sessions: closing it stops the calls inside and waits for every one of them to leave
/// (the sessions may be released only then), and refuses new ones. Ordering is checked by state, not by timing.
/// </summary>
public class CallGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Close_cancels_the_calls_inside_and_returns_only_after_the_last_has_left()
    {
        var gate = new CallGate();
        var owner = new object();
        var first = gate.Enter(owner, CancellationToken.None);
        var second = gate.Enter(owner, CancellationToken.None);
        Assert.False(first.Token.IsCancellationRequested);

        var closing = Task.Run(gate.Close);
        Assert.True(first.Token.WaitHandle.WaitOne(Patience), "the calls inside were not told to stop");
        Assert.True(second.Token.IsCancellationRequested);
        Assert.True(gate.IsClosed);

        // Leaving twice counts once: the gate must still wait for the second call.
        first.Dispose();
        first.Dispose();
        Assert.NotSame(closing, await Task.WhenAny(closing, Task.Delay(200)));
        second.Dispose();
        await closing.WaitAsync(Patience);
        gate.Dispose();
    }

    [Fact]
    public void A_closed_gate_refuses_new_calls_naming_the_owner_and_a_second_close_returns_at_once()
    {
        var gate = new CallGate();
        Assert.False(gate.IsClosed);
        gate.Close();
        gate.Close();
        var e = Assert.Throws<ObjectDisposedException>(() => gate.Enter("the explainer", CancellationToken.None));
        Assert.Equal(typeof(string).FullName, e.ObjectName);
        gate.Dispose();
    }

    [Fact]
    public void Closing_again_after_the_gate_was_disposed_does_nothing()
    {
        // An explainer disposed twice closes its gate twice: the second close must not touch the disposed token source.
        var gate = new CallGate();
        gate.Enter(this, CancellationToken.None).Dispose();
        gate.Close();
        gate.Dispose();
        gate.Close();
        Assert.True(gate.IsClosed);
    }

    [Fact]
    public void A_callers_cancellation_reaches_the_lease_and_is_reported_as_the_callers()
    {
        var gate = new CallGate();
        using var cts = new CancellationTokenSource();
        using var lease = gate.Enter(this, cts.Token);
        cts.Cancel();
        Assert.True(lease.Token.IsCancellationRequested);
        var inner = new OperationCanceledException(lease.Token);
        var translated = Assert.IsType<OperationCanceledException>(lease.Translate(inner, cts.Token));
        Assert.Equal(cts.Token, translated.CancellationToken);
        Assert.Same(inner, translated.InnerException);
        Assert.False(gate.IsClosed);
    }

    [Fact]
    public async Task A_cancellation_by_closing_is_reported_as_disposal()
    {
        var gate = new CallGate();
        var lease = gate.Enter(this, CancellationToken.None);
        var closing = Task.Run(gate.Close);
        Assert.True(lease.Token.WaitHandle.WaitOne(Patience));
        var translated = lease.Translate(new OperationCanceledException(lease.Token), CancellationToken.None);
        var disposed = Assert.IsType<ObjectDisposedException>(translated);
        Assert.Contains("disposed while this call was running", disposed.Message, StringComparison.Ordinal);
        Assert.Equal(GetType().FullName, disposed.ObjectName);
        lease.Dispose();
        await closing.WaitAsync(Patience);
    }

    [Fact]
    public async Task Calls_that_left_before_the_close_do_not_hold_it()
    {
        var gate = new CallGate();
        for (int i = 0; i < 3; i++) gate.Enter(this, CancellationToken.None).Dispose();
        await Task.Run(gate.Close).WaitAsync(Patience);
    }
}

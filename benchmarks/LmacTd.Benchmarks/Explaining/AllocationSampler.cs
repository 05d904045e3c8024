using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace LmacTd.Benchmarks.Explaining;

/// <summary>
/// Samples the runtime's allocation ticks (one event per about 100 KB allocated, naming the type that crossed the
/// mark) and sums them by type: where a run's managed garbage comes from, without a profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEvent = 10;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _on;

    /// <summary>Starts or stops counting (events before the first start are ignored).</summary>
    public bool On
    {
        get => _on;
        set => _on = value;
    }

    /// <summary>Sampled bytes by type, largest first.</summary>
    public IEnumerable<KeyValuePair<string, long>> ByType => _bytes.OrderByDescending(kv => kv.Value);

    protected override void OnEventSourceCreated(EventSource source)
    {
        // The GC keyword at verbose level carries GCAllocationTick.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventId != AllocationTickEvent || e.PayloadNames is null) return;
        int type = e.PayloadNames.IndexOf("TypeName"), amount = e.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0) return;
        _bytes.AddOrUpdate(e.Payload![type] as string ?? "?", Convert.ToInt64(e.Payload[amount]), (_, v) => v + Convert.ToInt64(e.Payload[amount]));
    }
}

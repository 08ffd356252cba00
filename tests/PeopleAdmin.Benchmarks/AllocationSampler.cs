using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// Which types a run allocates most, from the runtime's own allocation samples (an <c>AllocationTick</c> event about
/// every 100 KB allocated, naming the type that crossed it): in-process, so that no profiler needs attaching. Each
/// sample stands for about 100 KB of the type; the shares are what to read.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.Payload is { } payload)
        {
            var type = payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
            var amount = Convert.ToInt64(payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
            _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
        }
    }

    public void Print(int top)
    {
        var total = Math.Max(1, _bytes.Values.Sum());
        Console.WriteLine($"allocation samples: {total / 1048576:N0} MB in all; the types most allocated:");
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine($"  {100.0 * bytes / total,5:N1}%  {type}");
        }
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Benchmarks;

/// <summary>Identify through the single writer, one caller at a time and 64 at once (figures are per identify).</summary>
public class IdentifyBenchmarks
{
    private const int Callers = 64;

    private BenchDatabase _db = null!;
    private long _next;

    [Params("Normal", "Full")]
    public string Synchronous { get; set; } = "Normal";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _db = await BenchDatabase.CreateAsync(Synchronous);
        await _db.RunAsync(BenchDatabase.Identify("holder", (ReservedKeys.Email, AttributeValue.FromString("held@example.com"))));
        for (var i = 0; i < Callers; i++)
        {
            await _db.RunAsync(BenchDatabase.Identify(Existing(i), (ReservedKeys.Email, AttributeValue.FromString($"existing{i}@example.com"))));
        }
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _db.DisposeAsync().AsTask();

    [Benchmark]
    public Task CreateOne() => _db.RunAsync(New());

    [Benchmark(OperationsPerInvoke = Callers)]
    public Task Create64Concurrent() => Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => _db.RunAsync(New())));

    [Benchmark]
    public Task UpdateFiveAttributesOne() => _db.RunAsync(Update(0));

    [Benchmark(OperationsPerInvoke = Callers)]
    public Task UpdateFiveAttributes64Concurrent() => Task.WhenAll(Enumerable.Range(0, Callers).Select(i => _db.RunAsync(Update(i))));

    [Benchmark]
    public Task FailedIdentifierChangeOne() => _db.RunAsync(Steal(0));

    [Benchmark(OperationsPerInvoke = Callers)]
    public Task FailedIdentifierChange64Concurrent() => Task.WhenAll(Enumerable.Range(0, Callers).Select(i => _db.RunAsync(Steal(i))));

    private static string Existing(int i) => "existing-" + i.ToString(CultureInfo.InvariantCulture);

    private IdentifyOperation New()
    {
        var n = Interlocked.Increment(ref _next);
        return BenchDatabase.Identify(
            "new-" + n.ToString(CultureInfo.InvariantCulture),
            (ReservedKeys.Email, AttributeValue.FromString($"new{n}@example.com")),
            ("plan", AttributeValue.FromString("pro")),
            ("age", AttributeValue.FromNumber(30)));
    }

    /// <summary>Five attributes with new values every time, so that every call writes.</summary>
    private IdentifyOperation Update(int person)
    {
        var n = Interlocked.Increment(ref _next);
        return BenchDatabase.Identify(
            Existing(person),
            ("plan", AttributeValue.FromString("plan-" + n.ToString(CultureInfo.InvariantCulture))),
            ("age", AttributeValue.FromNumber(n % 90)),
            ("country", AttributeValue.FromString(n % 2 == 0 ? "DE" : "FR")),
            ("score", AttributeValue.FromNumber(n)),
            ("trial", AttributeValue.FromBoolean(n % 2 == 0)));
    }

    /// <summary>Rule 3: the email belongs to another profile, so the change fails and is logged; the rest applies.</summary>
    private static IdentifyOperation Steal(int person) =>
        BenchDatabase.Identify(Existing(person), (ReservedKeys.Email, AttributeValue.FromString("held@example.com")));
}

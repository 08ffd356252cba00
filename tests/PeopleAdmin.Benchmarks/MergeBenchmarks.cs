using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Benchmarks;

/// <summary>A manual merge of two people with 10,000 events each; each iteration merges a fresh pair.</summary>
[InvocationCount(1, unrollFactor: 1)]
public class MergeBenchmarks
{
    private const int EventsEach = 10_000;

    private BenchDatabase _db = null!;
    private int _pair;

    [GlobalSetup]
    public async Task SetupAsync() => _db = await BenchDatabase.CreateAsync();

    [GlobalCleanup]
    public Task CleanupAsync() => _db.DisposeAsync().AsTask();

    [IterationSetup]
    public void CreatePair()
    {
        _pair++;
        var primary = _db.RunAsync(BenchDatabase.Identify($"primary-{_pair}", ("plan", AttributeValue.FromString("pro")))).GetAwaiter().GetResult();
        var secondary = _db.RunAsync(BenchDatabase.Identify($"secondary-{_pair}", ("plan", AttributeValue.FromString("free")))).GetAwaiter().GetResult();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_db.Directory, "bench.db")}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Activities (WorkspaceId, PersonId, CioId, Type, Source, AtMs, Timestamp, Name, Data)
            SELECT $w, Id, CioId, 'event', 'api', 1760000000000 + $i, 1760000000 + $i, 'viewed_page', '{"n":1}' FROM People WHERE CioId = $cio
            """;
        insert.Parameters.AddWithValue("$w", _db.WorkspaceId);
        var i = insert.Parameters.AddWithValue("$i", 0);
        var cio = insert.Parameters.AddWithValue("$cio", "");
        insert.Prepare();
        foreach (var person in new[] { primary.CioId!, secondary.CioId! })
        {
            cio.Value = person;
            for (var n = 0; n < EventsEach; n++)
            {
                i.Value = n;
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    [Benchmark]
    public Task MergeTwoPeopleWith10000EventsEach() =>
        _db.RunAsync(new MergeOperation(PersonReference.ForId($"primary-{_pair}"), PersonReference.ForId($"secondary-{_pair}")));
}

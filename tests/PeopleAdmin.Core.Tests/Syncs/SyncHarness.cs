using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests.Servers;

[assembly: AssemblyFixture(typeof(SyncSources))]

namespace PeopleAdmin.Core.Tests.Syncs;

/// <summary>The identity service on a fresh database with the sync services around it, and a table of its own on each source.</summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _importQueue;

    private SyncHarness(PeopleHarness people, SyncSources sources)
    {
        People = people;
        Sources = sources;
        Connections = new SyncConnectionsService(people.Database.Factory, new EphemeralDataProtectionProvider(), people.Clock, new SyncSourceLimiter(3, QueriesPerMinute));
        Imports = new ImportService(people.Database.Factory, people.Service, people.Clock, new ImportsOptions { BatchRows = BatchRows }, Path.Combine(people.Database.Directory, "imports"));
        Syncs = new SyncsService(people.Database.Factory, Connections, Imports, people.Clock);
        Runner = new SyncRunner(people.Database.Factory, Connections, Imports, people.Clock, NullLogger<SyncRunner>.Instance);
        Scheduler = new SyncScheduler(people.Database.Factory, Imports, people.Clock);
        Table = "people_" + Guid.NewGuid().ToString("n")[..10];
    }

    public PeopleHarness People { get; }

    public SyncSources Sources { get; }

    /// <summary>Sync saves and previews a harness's workspace may make per minute.</summary>
    public const int QueriesPerMinute = 10;

    /// <summary>Rows per import batch: small enough that a few thousand rows make several batches.</summary>
    public const int BatchRows = 1000;

    public SyncConnectionsService Connections { get; }

    public ImportService Imports { get; }

    public SyncsService Syncs { get; }

    public SyncRunner Runner { get; }

    public SyncScheduler Scheduler { get; }

    /// <summary>A table name no other test uses.</summary>
    public string Table { get; }

    public int WorkspaceId => People.WorkspaceId;

    /// <summary>A harness whose import queue runs in the background, as the app's import worker runs it (unless told to wait: <see cref="StartImportQueue"/>).</summary>
    public static async Task<SyncHarness> CreateAsync(SyncSources sources, CancellationToken ct, bool startImportQueue = true)
    {
        var harness = new SyncHarness(await PeopleHarness.CreateAsync(ct), sources);
        if (startImportQueue)
        {
            harness.StartImportQueue();
        }

        return harness;
    }

    public void StartImportQueue() => _importQueue ??= Imports.Queue.RunAsync(Imports.RunQueuedAsync, (_, _) => { }, _stopping.Token);

    public async Task<long> AddConnectionAsync(SyncSourceKind kind, CancellationToken ct, string? password = null, string database = "source")
    {
        var settings = kind == SyncSourceKind.Postgres ? Sources.Postgres(password, database) : Sources.MySql(password, database);
        var (connection, error) = await Connections.SaveAsync(WorkspaceId, null,
            new SyncConnectionInput($"{kind} {Guid.NewGuid():n}", kind, settings.Host, settings.Port, settings.Database, settings.User, settings.Password, settings.SslMode), ct);
        error.ShouldBeNull();
        return connection!.Id;
    }

    public async Task<long> AddSyncAsync(long connectionId, string query, CancellationToken ct, IdentifierKind identifier = IdentifierKind.Id,
        SyncDataToProcess data = SyncDataToProcess.All, SyncEmptyValues empty = SyncEmptyValues.Ignore, string? segment = null)
    {
        var (sync, error) = await Syncs.SaveAsync(WorkspaceId, null, new SyncInput("Sync " + Guid.NewGuid().ToString("n")[..6], connectionId, query, 60, identifier, data, empty, segment, Paused: true), ct);
        error.ShouldBeNull();
        return sync!.Id;
    }

    /// <summary>Queues a run of the sync and runs it to its end, as the background worker would.</summary>
    public async Task<SyncRunSummary> RunAsync(long syncId, CancellationToken ct)
    {
        People.Clock.Advance(TimeSpan.FromMinutes(1));
        var (runId, error) = await Syncs.RunNowAsync(WorkspaceId, syncId, ct);
        error.ShouldBeNull();
        (await Runner.ClaimNextAsync(ct)).ShouldBe(runId);
        await Runner.RunAsync(runId!.Value, ct);
        return (await Syncs.GetRunAsync(WorkspaceId, syncId, runId.Value, ct))!;
    }

    public async Task<Dictionary<string, string?>> AttributesAsync(string id, CancellationToken ct)
    {
        var person = await People.Service.GetPersonAsync(WorkspaceId, PersonReference.ForId(id), ct);
        person.ShouldNotBeNull($"person {id}");
        return person.Attributes.ToDictionary(a => a.Name, a => (string?)a.Value);
    }

    public async Task<int> PeopleCountAsync(CancellationToken ct)
    {
        await using var db = await People.Database.Factory.CreateDbContextAsync(ct);
        return await db.People.CountAsync(p => p.WorkspaceId == WorkspaceId, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_importQueue is not null)
        {
            await _importQueue;
        }

        _stopping.Dispose();
        foreach (var kind in new[] { SyncSourceKind.Postgres, SyncSourceKind.MySql })
        {
            await Sources.ExecuteAsync(kind, $"drop table if exists {Table}");
        }

        await People.DisposeAsync();
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>A migrated file database, its single writer and the identity service, with one workspace.</summary>
public sealed class PeopleHarness : IAsyncDisposable
{
    private readonly WriteQueue _writer;

    private PeopleHarness(TestDatabase database, int workspaceId, ManualClock clock)
    {
        Database = database;
        WorkspaceId = workspaceId;
        Clock = clock;
        _writer = new WriteQueue(database.Factory, clock, new WriterOptions(), Errors);
        Rules = new RuleEngine(database.Factory, clock, NullLogger<RuleEngine>.Instance);
        Service = new PeopleService(_writer, database.Factory, clock, Rules);
        RulesService = new RulesService(database.Factory, Rules, clock);
    }

    public TestDatabase Database { get; }

    /// <summary>What the writer logged as failures: the exceptions behind <see cref="ErrorKind.Failed"/> results.</summary>
    public ErrorLog Errors { get; } = new();

    public int WorkspaceId { get; }

    public ManualClock Clock { get; }

    public PeopleService Service { get; }

    /// <summary>The rules after events; nothing runs them in the background here: tests call <see cref="RuleEngine.DrainAsync"/>.</summary>
    public RuleEngine Rules { get; }

    public RulesService RulesService { get; }

    /// <summary>On the store of this run (<see cref="PeopleAdmin.Tests.TestStores.Current"/>).</summary>
    public static Task<PeopleHarness> CreateAsync(
        CancellationToken ct, Action<WorkspaceSettings>? configure = null, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) =>
        CreateAsync(PeopleAdmin.Tests.TestStores.Current, ct, configure, interceptors);

    public static async Task<PeopleHarness> CreateAsync(
        PeopleAdmin.Tests.TestStore store, CancellationToken ct, Action<WorkspaceSettings>? configure = null, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors)
    {
        var database = await TestDatabase.CreateAsync(store, ct, interceptors);
        var workspaceId = await database.AddWorkspaceAsync(ct, configure);
        return new PeopleHarness(database, workspaceId, new ManualClock());
    }

    public OperationContext Context(string source = Sources.Api, string? actor = null) => new(WorkspaceId, source, actor);

    public Task<OperationResult> RunAsync(PeopleOperation operation, CancellationToken ct, string source = Sources.Api)
    {
        Clock.Advance();
        return Service.ExecuteAsync(Context(source), operation, ct);
    }

    public Task<OperationResult> IdentifyAsync(string reference, string json, CancellationToken ct, string source = Sources.Api) =>
        RunAsync(new IdentifyOperation(Reference(reference), Body(json)), ct, source);

    public PersonReference Reference(string identifier) => PersonReference.Classify(identifier, IdentifierMode.EmailOrId) is { Kind: ReferenceKind.CioId } cio
        ? cio
        : PersonReference.Classify(identifier, Mode);

    public IdentifierMode Mode { get; set; } = IdentifierMode.EmailOrId;

    public static Dictionary<string, AttributeValue> Body(string json)
    {
        using var document = JsonDocument.Parse(json);
        var body = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            AttributeValue.TryFromJson(property.Value, out var value).ShouldBeTrue(property.Name);
            body[property.Name] = value;
        }

        return body;
    }

    public async Task<List<Person>> PeopleAsync(CancellationToken ct)
    {
        await using var db = await Database.Factory.CreateDbContextAsync(ct);
        return await db.People.AsNoTracking().Where(p => p.WorkspaceId == WorkspaceId).OrderBy(p => p.Id).ToListAsync(ct);
    }

    public async Task<List<Activity>> ActivityAsync(CancellationToken ct)
    {
        await using var db = await Database.Factory.CreateDbContextAsync(ct);
        return await db.Activities.AsNoTracking().Where(a => a.WorkspaceId == WorkspaceId).OrderBy(a => a.Id).ToListAsync(ct);
    }

    public async Task<List<string>> SuppressedAsync(CancellationToken ct)
    {
        await using var db = await Database.Factory.CreateDbContextAsync(ct);
        return await db.Suppressions.AsNoTracking().Where(s => s.WorkspaceId == WorkspaceId).OrderBy(s => s.Value).Select(s => s.Value).ToListAsync(ct);
    }

    /// <summary>Puts a value on the suppression list directly, as a setup step (a live person may hold it after a mode switch).</summary>
    public async Task SuppressDirectlyAsync(IdentifierKind kind, string value, CancellationToken ct)
    {
        await using var db = await Database.Factory.CreateDbContextAsync(ct);
        var group = (await db.Suppressions.MaxAsync(s => (long?)s.GroupId, ct) ?? 0) + 1;
        db.Suppressions.Add(new Suppression
        {
            WorkspaceId = WorkspaceId,
            GroupId = group,
            Kind = kind,
            Value = value,
            ValueKey = kind == IdentifierKind.Email ? value.Trim().ToLowerInvariant() : value,
            Source = Sources.Api,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds people written "id|email" ("-" for none) through the People page's create; answers their cio_ids in order.</summary>
    public async Task<List<string>> AddPeopleAsync(IEnumerable<string> people, CancellationToken ct)
    {
        var cioIds = new List<string>();
        foreach (var person in people)
        {
            var parts = person.Split('|');
            var added = await RunAsync(new AddPersonOperation(parts[0] == "-" ? null : parts[0], parts[1] == "-" ? null : parts[1], new Dictionary<string, AttributeValue>()), ct);
            added.Status.ShouldBe(OperationStatus.Applied, added.Error?.Message);
            cioIds.Add(added.CioId!);
        }

        return cioIds;
    }

    /// <summary>An identify's outcome as the tables write it: "created", "updated #n", "ignored: …" or "rejected: …".</summary>
    public static string Outcome(OperationResult result, List<string> cioIds) => result.Status switch
    {
        OperationStatus.Ignored => "ignored: " + result.IgnoredReason,
        OperationStatus.Applied when result.Created => "created",
        OperationStatus.Applied => "updated #" + cioIds.IndexOf(result.CioId!),
        _ => "rejected: " + result.Error?.Message,
    };

    public async Task<PeopleAdminDbContext> ContextAsync(CancellationToken ct) => await Database.Factory.CreateDbContextAsync(ct);

    /// <summary>The steps of SQLite's plan for a statement (EXPLAIN QUERY PLAN), with its parameters.</summary>
    public async Task<List<string>> QueryPlanAsync(string sql, IReadOnlyList<Microsoft.Data.Sqlite.SqliteParameter> parameters, CancellationToken ct)
    {
        await using var db = await ContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddRange(parameters.Select(p => new Microsoft.Data.Sqlite.SqliteParameter(p.ParameterName, p.Value)).ToArray());
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>A clock the tests move on by a second per operation, so that "newer" and "older" never tie.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan? by = null) => _now += by ?? TimeSpan.FromSeconds(1);

    public void Set(DateTimeOffset now) => _now = now;
}

public sealed class ErrorLog : ILogger<WriteQueue>
{
    public List<string> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (Entries)
            {
                Entries.Add(formatter(state, exception) + ": " + exception);
            }
        }
    }
}

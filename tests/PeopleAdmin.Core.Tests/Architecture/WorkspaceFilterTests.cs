using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;
using SQLitePCL;

namespace PeopleAdmin.Core.Tests.Architecture;

/// <summary>
/// Every statement that reaches the database on a table of the people store names the workspace, so that a
/// distributed database can route it to the one node that holds the workspace (docs/scaling.md). Statements are caught
/// where the database receives them, so EF Core's and the store's own hand-written ones (SQLite's prepared statements,
/// PostgreSQL's commands and batches) are judged alike: on SQLite through its trace hook on each connection, on
/// PostgreSQL through Npgsql's activities for the test's own database.
/// </summary>
[BothStores]
public sealed partial class WorkspaceFilterTests
{
    private static readonly Dictionary<string, AttributeValue> NoAttributes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryStatementOnThePeopleStoreNamesTheWorkspace()
    {
        // Arrange
        using var statements = new Statements();
        await using var harness = await PeopleHarness.CreateAsync(Ct, interceptors: statements);
        await harness.IdentifyAsync("a", """{"email":"a@x.com","plan":"pro"}""", Ct);
        await harness.IdentifyAsync("b", """{"email":"b@x.com","plan":"free","city":"Oslo"}""", Ct);
        var segment = await harness.RunAsync(new CreateSegmentOperation("vip", null), Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);
        AudienceFilterJson.TryParse("""{"or":[{"attribute":{"field":"plan","operator":"eq","value":"pro"}},{"attribute":{"field":"city","operator":"exists"}}]}""",
            out var filter, out _).ShouldBeTrue();
        statements.Clear();

        // Act: the rules, the reads and the audience SQL, each of which names its tables in its own way.
        await harness.IdentifyAsync("a", """{"plan":"team","city":"Rome"}""", Ct);
        await harness.RunAsync(new AddToSegmentOperation((int)segment.RecordId!, [PersonReference.ForId("b")]), Ct);
        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForId("b"), new DeviceInput("token-b", "ios", null, null)), Ct);
        await harness.RunAsync(new RelatePersonOperation(PersonReference.ForId("b"), RelationshipAction.Add, [new RelationshipInput("1", "acme", NoAttributes)]), Ct);
        await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("b"), new EventInput("login", EventInput.EventType, null, null, null)), Ct);
        await harness.Service.PreviewMergeAsync(harness.WorkspaceId, PersonReference.ForId("a"), PersonReference.ForId("b"), Ct);
        var merge = await harness.RunAsync(new MergeOperation(PersonReference.ForId("a"), PersonReference.ForId("b")), Ct);
        await harness.RunAsync(new UndoMergeOperation(merge.RecordId!.Value), Ct);
        await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("b"), Ct);
        await harness.Service.GetPersonSegmentsAsync(harness.WorkspaceId, PersonReference.ForId("b"), Ct);
        await harness.Service.ListSegmentsAsync(harness.WorkspaceId, Ct);
        await harness.Service.FilterPeopleAsync(harness.WorkspaceId, filter, null, 10, Ct, ["plan", "city"]);
        await harness.Service.CountPeopleAsync(harness.WorkspaceId, filter, Ct);
        await using (var rows = await harness.Service.OpenPeopleRowsAsync(harness.WorkspaceId, filter, ["plan"], Ct))
        {
            while (rows.Read())
            {
            }
        }

        await harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("b")), Ct);

        // Assert
        var onThePeopleStore = statements.OnThePeopleStore();
        onThePeopleStore.Count.ShouldBeGreaterThan(30);
        onThePeopleStore.ShouldContain(sql => HandWrittenAttributeRead().IsMatch(sql), "the store's own statements are among those caught");
        onThePeopleStore.Where(sql => !WorkspacePredicate().IsMatch(sql)).ShouldBeEmpty();
    }

    /// <summary>Each statement the test's database receives on a table the people store distributes, but inserts.</summary>
    private sealed class Statements : DbConnectionInterceptor, IDisposable
    {
        private readonly ConcurrentQueue<string> _received = new();
        private readonly ConcurrentDictionary<string, bool> _postgresDatabases = new();
        private readonly ActivityListener _npgsql;

        public Statements()
        {
            _npgsql = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Received,
            };
            ActivitySource.AddActivityListener(_npgsql);
        }

        public List<string> OnThePeopleStore() =>
            [.. _received
                .SelectMany(text => text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Where(sql => PeopleStoreTable().IsMatch(sql) && !sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) && !(TestStores.Current == TestStore.Sqlite && SqliteRowidSave().IsMatch(sql)))];

        public void Clear() => _received.Clear();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Listen(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Listen(connection);
            return Task.CompletedTask;
        }

        public void Dispose() => _npgsql.Dispose();

        private void Listen(DbConnection connection)
        {
            switch (connection)
            {
                case SqliteConnection { Handle: { } handle }:
                    raw.sqlite3_trace(handle, (_, sql) => _received.Enqueue(sql), null);
                    break;
                case NpgsqlConnection postgres:
                    _postgresDatabases.TryAdd(postgres.Database, true);
                    break;
            }
        }

        /// <summary>A command Npgsql sent, when it went to this test's database (other tests' run in the same process).</summary>
        private void Received(System.Diagnostics.Activity activity)
        {
            var tags = activity.TagObjects.Where(t => t.Value is string).Select(t => (t.Key, Value: (string)t.Value!)).ToList();
            if (tags.Any(t => _postgresDatabases.ContainsKey(t.Value)) && tags.FirstOrDefault(t => t.Key is "db.query.text" or "db.statement").Value is { } sql)
            {
                _received.Enqueue(sql);
            }
        }
    }

    [GeneratedRegex("""(FROM|JOIN|UPDATE)\s+"?(People|PersonAttributes|Suppressions|Activities|Devices|Segments|SegmentMemberships|MergeRecords|ObjectTypes|Objects|Relationships|Forms|FormFields)"?(\s|$)""")]
    private static partial Regex PeopleStoreTable();

    /// <summary>
    /// EF Core's save of one tracked row by its primary key: on SQLite that key is the rowid alone (SQLite is never
    /// distributed); on PostgreSQL it holds the workspace, so PostgreSQL's saves are judged with the rest.
    /// </summary>
    [GeneratedRegex("""^(UPDATE|DELETE FROM) "\w+"( SET [^;]*)?\s+WHERE "Id" = (@p\d+|\d+)\s+RETURNING 1$""")]
    private static partial Regex SqliteRowidSave();

    /// <summary>A condition on the workspace in a WHERE or a join's ON (a select list or a SET naming the column is not one).</summary>
    [GeneratedRegex("""\b(WHERE|ON)\b[\s\S]*\bWorkspaceId"?\s*=""")]
    private static partial Regex WorkspacePredicate();

    /// <summary>The hot paths' own read of attributes (EF Core would alias the table with AS).</summary>
    [GeneratedRegex("""(FROM|JOIN) "?PersonAttributes"? (a |WHERE )""")]
    private static partial Regex HandWrittenAttributeRead();
}

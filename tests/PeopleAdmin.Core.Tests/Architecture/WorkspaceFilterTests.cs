using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Architecture;

/// <summary>
/// Every statement EF Core sends to a table of the people store names the workspace, so that a distributed database
/// can route it to the one node that holds the workspace (docs/scaling.md). The people store's own prepared statements
/// do not go through EF Core; <see cref="DistributionKeyTests"/> and the hot paths' review cover them. On SQLite a save
/// addresses a row by its rowid, the primary key there, so only queries are judged; on PostgreSQL saves are too.
/// </summary>
[BothStores]
public sealed partial class WorkspaceFilterTests
{
    private static readonly Dictionary<string, AttributeValue> NoAttributes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryStatementOnThePeopleStoreThatTheRulesAndReadsSendNamesTheWorkspace()
    {
        // Arrange
        var statements = new Statements();
        await using var harness = await PeopleHarness.CreateAsync(Ct, interceptors: statements);
        await harness.IdentifyAsync("a", """{"email":"a@x.com","plan":"pro"}""", Ct);
        await harness.IdentifyAsync("b", """{"email":"b@x.com","plan":"free","city":"Oslo"}""", Ct);
        var segment = await harness.RunAsync(new CreateSegmentOperation("vip", null), Ct);
        await harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct);
        await harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), NoAttributes), Ct);

        // Act
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
        await harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("b")), Ct);

        // Assert
        statements.OnThePeopleStore.Count.ShouldBeGreaterThan(20);
        statements.OnThePeopleStore.Where(sql => !sql.Contains("WorkspaceId", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    /// <summary>Each statement that reads, changes or deletes rows of a table the people store distributes.</summary>
    private sealed class Statements : DbCommandInterceptor
    {
        public List<string> OnThePeopleStore { get; } = [];

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command, eventData);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command, CommandEventData eventData)
        {
            if (eventData.CommandSource == CommandSource.SaveChanges && TestStores.Current == TestStore.Sqlite)
            {
                return;
            }

            // One command may hold several statements (EF Core batches a save): each is judged on its own.
            foreach (var statement in command.CommandText.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (PeopleStoreTable().IsMatch(statement) && !statement.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
                {
                    lock (OnThePeopleStore)
                    {
                        OnThePeopleStore.Add(statement);
                    }
                }
            }
        }
    }

    [GeneratedRegex("""(FROM|JOIN|UPDATE)\s+"?(People|PersonAttributes|Suppressions|Activities|Devices|Segments|SegmentMemberships|MergeRecords|ObjectTypes|Objects|Relationships|Forms|FormFields)"?(\s|$)""")]
    private static partial Regex PeopleStoreTable();
}

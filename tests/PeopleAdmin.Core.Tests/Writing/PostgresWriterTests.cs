using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Writing;

/// <summary>The single writer on PostgreSQL's store: what SQLite's counterparts in <see cref="WriteQueueTests"/> prove with SQLite's own API.</summary>
public sealed class PostgresWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOperationRejectedAfterWritingIsUndoneAloneAndItsBatchMatesApply()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);

        var results = await writer.SubmitAsync(
            new OperationContext(workspaceId, Sources.Api), [Identify("bob"), new WriteQueueTests.RejectAfterWriting("undone"), Identify("cat"), new WriteQueueTests.AddSegment("kept")], Ct);

        results.Select(r => r.Status).ShouldBe([OperationStatus.Applied, OperationStatus.Rejected, OperationStatus.Applied, OperationStatus.Applied]);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.Segments.Select(s => s.Name).ToListAsync(Ct)).ShouldBe(["kept"]);
        (await db.People.Select(p => p.ExternalId).OrderBy(id => id).ToListAsync(Ct)).ShouldBe(["bob", "cat"]);
    }

    [Fact]
    public async Task TheWriterConnectionCountsTheRowsOfEfCoresSavesItsStatementsAndTheBulkCopy()
    {
        await using var writer = await WriterAsync();
        var (workspaceId, connection, transaction) = (writer.WorkspaceId, writer.Connection, writer.Transaction);

        var start = connection.RowsWritten;
        connection.Db.Segments.Add(new Segment { Name = "one", WorkspaceId = workspaceId });
        await connection.Db.SaveChangesAsync(Ct);
        var afterSave = connection.RowsWritten;
        await connection.Db.Segments.Where(s => s.WorkspaceId == workspaceId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Name, "renamed"), Ct);
        var afterUpdate = connection.RowsWritten;
        var bulk = connection.BeginBulkCreate();
        bulk.InsertPerson(new Person { WorkspaceId = workspaceId, CioId = "c1", ExternalId = "ann" });
        bulk.InsertPerson(new Person { WorkspaceId = workspaceId, CioId = "c2", ExternalId = "bob" });
        var whileHeld = connection.RowsWritten;
        bulk.Flush();
        var afterCopy = connection.RowsWritten;
        await connection.Db.People.AnyAsync(Ct);

        (afterSave - start).ShouldBe(1);
        (afterUpdate - afterSave).ShouldBe(1);
        whileHeld.ShouldBe(afterUpdate);
        (afterCopy - afterUpdate).ShouldBe(2);
        connection.RowsWritten.ShouldBe(afterCopy, "a read writes nothing");
    }

    [Fact]
    public async Task TheBulkCreateAnswersForIdentifiersItHoldsAndKeysFollowTheOrderPeopleWereAdded()
    {
        await using var writer = await WriterAsync();
        var (workspaceId, connection, transaction) = (writer.WorkspaceId, writer.Connection, writer.Transaction);
        var bulk = connection.BeginBulkCreate();

        var first = new Person { WorkspaceId = workspaceId, CioId = "c1", ExternalId = "ann", EmailNormalized = "ann@example.com", EmailIsIdentifier = true };
        bulk.InsertPerson(first);
        var heldId = bulk.IsIdHeld(workspaceId, "ann");
        var heldEmail = bulk.IsEmailHeld(workspaceId, "ann@example.com");
        var otherWorkspace = bulk.IsIdHeld(workspaceId + 1, "ann");
        bulk.Flush();
        connection.Db.People.Add(new Person { WorkspaceId = workspaceId, CioId = "c2", ExternalId = "bob" });
        await connection.Db.SaveChangesAsync(Ct);
        var third = new Person { WorkspaceId = workspaceId, CioId = "c3", ExternalId = "cat" };
        bulk.InsertPerson(third);
        bulk.Flush();
        await transaction.CommitAsync(Ct);

        heldId.ShouldBeTrue();
        heldEmail.ShouldBeTrue();
        otherWorkspace.ShouldBeFalse();
        await using var db = await writer.Database.Factory.CreateDbContextAsync(Ct);
        (await db.People.OrderBy(p => p.Id).Select(p => p.ExternalId).ToListAsync(Ct)).ShouldBe(["ann", "bob", "cat"]);
        (await db.People.SingleAsync(p => p.ExternalId == "cat", Ct)).Id.ShouldBe(third.Id);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(100)]
    public async Task AFlushWritesEveryPersonEntryAndAttributeWhetherInsertedOrCopied(int people)
    {
        await using var writer = await WriterAsync();
        var bulk = writer.Connection.BeginBulkCreate();
        for (var i = 0; i < people; i++)
        {
            var person = new Person { WorkspaceId = writer.WorkspaceId, CioId = $"c{i}", ExternalId = $"p{i}", FirstSeenMs = i };
            bulk.InsertPerson(person);
            bulk.InsertActivity(new Activity { WorkspaceId = writer.WorkspaceId, PersonId = person.Id, CioId = person.CioId, Type = ActivityTypes.ProfileCreate, Source = Sources.Csv, AtMs = i });
            bulk.InsertAttribute(new PersonAttribute { PersonId = person.Id, WorkspaceId = writer.WorkspaceId, Name = "plan", Type = AttributeType.Number, TextValue = $"{i}", NumberValue = i });
        }

        var before = writer.Connection.RowsWritten;
        bulk.Flush();
        var written = writer.Connection.RowsWritten - before;
        await writer.Transaction.CommitAsync(Ct);

        written.ShouldBe(3 * people);
        await using var db = await writer.Database.Factory.CreateDbContextAsync(Ct);
        (await db.PersonAttributes.Where(a => a.Type == AttributeType.Number).SumAsync(a => a.NumberValue, Ct)).ShouldBe(people * (people - 1) / 2.0);
        (await db.Activities.CountAsync(a => a.PersonId != null, Ct)).ShouldBe(people);
        (await db.People.OrderBy(p => p.Id).Select(p => p.FirstSeenMs).ToListAsync(Ct)).ShouldBe([.. Enumerable.Range(0, people).Select(i => (long)i)]);
    }

    [Fact]
    public async Task AnIdentifyCreatingSomeoneTakesOneRoundTripAndOneUpdatingThemTwo()
    {
        const int people = 10;
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        var context = new OperationContext(await database.AddWorkspaceAsync(Ct), Sources.Api);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        await writer.SubmitAsync(context, [Identify("warm-up", "warm-up@example.com", "trial")], Ct);
        using var roundTrips = new RoundTrips(database);

        var created = await writer.SubmitAsync(context, [.. Enumerable.Range(0, people).Select(i => Identify($"p{i}", $"p{i}@example.com", "trial"))], Ct);
        var creating = roundTrips.Take();
        var updated = await writer.SubmitAsync(context, [.. Enumerable.Range(0, people).Select(i => Identify($"p{i}", $"p{i}@example.com", "pro"))], Ct);
        var updating = roundTrips.Take();

        TestContext.Current.TestOutputHelper?.WriteLine($"{people} creating identifies: {creating.Count} round trips; {people} updating: {updating.Count}");
        created.ShouldAllBe(r => r.Status == OperationStatus.Applied && r.Created);
        updated.ShouldAllBe(r => r.Status == OperationStatus.Applied && !r.Created);
        // Each transaction adds its own few: the lock on its workspace's row and the workspace read anew (so that several
        // instances take turns), whether the workspace suppresses anybody, and the commit with the counter's update.
        // Writes go in front of the next read: a creating identify is its probe; an updating one, the probe and the person's read.
        const int perTransaction = 4;
        creating.Count.ShouldBeLessThanOrEqualTo(people + perTransaction, "a probe of both identifiers carrying the previous identify's writes:\n" + string.Join("\n", creating));
        updating.Count.ShouldBeLessThanOrEqualTo(2 * people + perTransaction, "the probe, then the person with their attributes:\n" + string.Join("\n", updating));
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.PersonAttributes.CountAsync(a => a.Name == "plan" && a.TextValue == "pro", Ct)).ShouldBe(people);
    }

    [Fact]
    public async Task AChunkOfNewPeopleAsksWhetherTheirIdentifiersAreHeldOnceNotOncePerPerson()
    {
        const int people = 200;
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        var context = new OperationContext(await database.AddWorkspaceAsync(Ct), Sources.Csv);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        await writer.SubmitAsync(context, [Identify("held", "held@example.com", "trial")], Ct);
        using var roundTrips = new RoundTrips(database);
        var chunk = new ImportPeopleOperation([.. Enumerable.Range(0, people).Select(i => Identify($"n{i}", $"n{i}@example.com", "pro")), Identify("held", "held@example.com", "pro")]);

        await writer.SubmitAsync(context, [chunk], Ct);
        var taken = roundTrips.Take();

        chunk.Results.Take(people).ShouldAllBe(r => r.Status == OperationStatus.Applied && r.Created);
        chunk.Results[people].Created.ShouldBeFalse("the one whose identifiers were held is updated by the rules");
        taken.Count.ShouldBeLessThan(20, "one probe for the chunk, the copies, and the held person's rules:\n" + string.Join("\n", taken));
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.People.CountAsync(Ct)).ShouldBe(people + 1);
        (await db.PersonAttributes.CountAsync(a => a.Name == "plan" && a.TextValue == "pro", Ct)).ShouldBe(people + 1);
    }

    /// <summary>A fresh database, a workspace, and the writer store's connection to it in a transaction.</summary>
    private static async Task<WriterOnPostgres> WriterAsync()
    {
        var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        var store = WriterStores.For(database.Factory, NullLogger.Instance);
        var connection = await store.OpenAsync(Ct);
        return new WriterOnPostgres(database, workspaceId, store, connection, await connection.Db.Database.BeginTransactionAsync(Ct));
    }

    private static IdentifyOperation Identify(string id) =>
        new(PersonReference.ForId(id), new Dictionary<string, AttributeValue> { ["plan"] = AttributeValue.FromString("pro") });

    private static IdentifyOperation Identify(string id, string email, string plan) =>
        new(PersonReference.ForId(id), new Dictionary<string, AttributeValue> { [ReservedKeys.Email] = AttributeValue.FromString(email), ["plan"] = AttributeValue.FromString(plan) });

    /// <summary>
    /// Counts the round trips to one database: Npgsql traces every command and batch it sends (its activity source),
    /// each one exchange with the server; tests on other databases run beside this one and are left out.
    /// </summary>
    private sealed class RoundTrips : IDisposable
    {
        private readonly System.Diagnostics.ActivityListener _listener;
        private readonly List<string> _statements = [];

        public RoundTrips(TestDatabase database)
        {
            using var db = database.Factory.CreateDbContext();
            var name = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database;
            _listener = new System.Diagnostics.ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.TagObjects.Any(tag => Equals(tag.Value, name)))
                    {
                        lock (_statements)
                        {
                            _statements.Add(string.Join(" | ", activity.TagObjects.Where(tag => tag.Key.Contains("statement", StringComparison.Ordinal) || tag.Key.Contains("query", StringComparison.Ordinal)).Select(tag => tag.Value)));
                        }
                    }
                },
            };
            System.Diagnostics.ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>The round trips since the last call, each named by its statements (for the message of a failing test).</summary>
        public List<string> Take()
        {
            lock (_statements)
            {
                var taken = _statements.ToList();
                _statements.Clear();
                return taken;
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed record WriterOnPostgres(
        TestDatabase Database, int WorkspaceId, IWriterStore Store, IWriterConnection Connection, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            Connection.Dispose();
            Store.Dispose();
            await Database.DisposeAsync();
        }
    }
}

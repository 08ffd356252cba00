using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Store.Sqlite;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Writing;

/// <summary>The single writer on SQLite's store: its connection, prepared statements, savepoints and checkpointer (PostgreSQL's: <see cref="PostgresWriterTests"/>).</summary>
public sealed class WriteQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailingOperationInABatchFailsAloneAndItsBatchMatesApply()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);

        var results = await writer.SubmitAsync(
            new OperationContext(workspaceId, Sources.Api),
            [new AddSegment("first"), new Throw(), new AddSegment("second"), new RejectAfterWriting("third")],
            Ct);

        results.Select(r => r.Status).ShouldBe([OperationStatus.Applied, OperationStatus.Rejected, OperationStatus.Applied, OperationStatus.Rejected]);
        results[1].Error!.Kind.ShouldBe(ErrorKind.Failed);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.Segments.Select(s => s.Name).OrderBy(n => n).ToListAsync(Ct)).ShouldBe(["first", "second"]);
    }

    [Fact]
    public async Task ManyConcurrentCallersEachGetTheirOwnCommittedResult()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions { QueueCapacity = 8 }, NullLogger<WriteQueue>.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            writer.SubmitAsync(new OperationContext(workspaceId, Sources.Api), [new AddSegment($"segment {i}")], Ct)));

        results.ShouldAllBe(r => r.Single().Status == OperationStatus.Applied);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.Segments.CountAsync(Ct)).ShouldBe(200);
    }

    [Fact]
    public async Task TheWriterKeepsItsConnectionAndPreparedStatementsFromOneTransactionToTheNext()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var context = new OperationContext(workspaceId, Sources.Api);

        var first = new LookUp("ann");
        var second = new LookUp("bob");
        await writer.SubmitAsync(context, [first], Ct);
        await writer.SubmitAsync(context, [second], Ct);

        second.Connection.ShouldBeSameAs(first.Connection);
        first.PreparedAfter.ShouldBeGreaterThan(first.PreparedBefore);
        second.PreparedAfter.ShouldBe(second.PreparedBefore);
    }

    [Fact]
    public async Task AfterATransactionFailsTheWriterGoesOnWithANewConnection()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var context = new OperationContext(workspaceId, Sources.Api);
        var before = new LookUp("ann");
        await writer.SubmitAsync(context, [before], Ct);

        await Should.ThrowAsync<Exception>(() => writer.SubmitAsync(context, [new EndTheTransaction()], Ct));
        var after = new LookUp("bob");
        var results = await writer.SubmitAsync(context, [after, new AddSegment("still written")], Ct);

        results.ShouldAllBe(r => r.Status == OperationStatus.Applied);
        after.Connection.ShouldNotBeSameAs(before.Connection);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.Segments.Select(s => s.Name).ToListAsync(Ct)).ShouldBe(["still written"]);
    }

    [Fact]
    public async Task AWorkspaceRenamedOutsideTheWriterKeepsItsNameWhileTheWriterCreatesPeopleInIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var context = new OperationContext(workspaceId, Sources.Api);
        await writer.SubmitAsync(context, [Identify("ann")], Ct);

        await using (var db = await database.Factory.CreateDbContextAsync(Ct))
        {
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(u => u.SetProperty(w => w.Name, "Renamed"), Ct);
        }

        var results = await writer.SubmitAsync(context, [Identify("bob"), Identify("cat")], Ct);

        results.ShouldAllBe(r => r.Status == OperationStatus.Applied && r.Created);
        await using var check = await database.Factory.CreateDbContextAsync(Ct);
        var workspace = await check.Workspaces.SingleAsync(w => w.Id == workspaceId, Ct);
        workspace.Name.ShouldBe("Renamed");
        workspace.NextCioNumber.ShouldBe(4);
    }

    [Fact]
    public async Task AWorkspaceDeletedOutsideTheWriterIsNotFoundByItsNextTransaction()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var context = new OperationContext(workspaceId, Sources.Api);
        await writer.SubmitAsync(context, [Identify("ann")], Ct);

        await using (var db = await database.Factory.CreateDbContextAsync(Ct))
        {
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteDeleteAsync(Ct);
        }

        var result = (await writer.SubmitAsync(context, [Identify("bob")], Ct)).Single();

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task CreatingPeopleInAWorkspaceThatSuppressesNobodyReadsNoPersonNoAttributesAndNotTheSuppressionList()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var statements = new LookUp("nobody");

        var results = await writer.SubmitAsync(new OperationContext(workspaceId, Sources.Api), [Identify("ann", "ann@example.com"), Identify("bob", "bob@example.com"), statements], Ct);

        results.Take(2).ShouldAllBe(r => r.Created);
        statements.Sql.Count(sql => sql.StartsWith("SELECT Id, WorkspaceId, CioId", StringComparison.Ordinal)).ShouldBe(1, "only the probe's own lookup reads a whole person");
        statements.Sql.ShouldNotContain(sql => sql.Contains("FROM PersonAttributes WHERE PersonId", StringComparison.Ordinal));
        statements.Sql.ShouldNotContain(sql => sql.Contains("FROM Suppressions WHERE WorkspaceId = ?1 AND Kind", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABatchWhoseOperationsAllApplyTakesNoSavepointsAndOneThatFailsAfterWritingStillFailsAlone()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var context = new OperationContext(workspaceId, Sources.Api);
        var clean = new LookUp("nobody");
        await writer.SubmitAsync(context, [Identify("ann"), new AddSegment("first"), clean], Ct);

        var afterFailure = new LookUp("nobody");
        var results = await writer.SubmitAsync(context, [Identify("bob"), new RejectAfterWriting("undone"), Identify("cat"), afterFailure], Ct);

        clean.Sql.ShouldNotContain("SAVEPOINT operation");
        afterFailure.Sql.ShouldContain("SAVEPOINT operation");
        results.Select(r => r.Status).ShouldBe([OperationStatus.Applied, OperationStatus.Rejected, OperationStatus.Applied, OperationStatus.Applied]);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.Segments.Select(s => s.Name).ToListAsync(Ct)).ShouldBe(["first"]);
        (await db.People.Select(p => p.ExternalId).OrderBy(id => id).ToListAsync(Ct)).ShouldBe(["ann", "bob", "cat"]);
    }

    [Fact]
    public async Task AnIdentifierSuppressedEarlierInTheSameTransactionIsIgnoredByTheNextOperation()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);

        var results = await writer.SubmitAsync(
            new OperationContext(workspaceId, Sources.Api),
            [Identify("bob"), Identify("ann"), new SuppressOperation(PersonReference.ForId("ann")), Identify("ann")],
            Ct);

        results.Select(r => r.Status).ShouldBe([OperationStatus.Applied, OperationStatus.Applied, OperationStatus.Applied, OperationStatus.Ignored]);
    }

    private static IdentifyOperation Identify(string id, string? email = null)
    {
        var body = new Dictionary<string, AttributeValue> { ["plan"] = AttributeValue.FromString("pro") };
        if (email is not null)
        {
            body[ReservedKeys.Email] = AttributeValue.FromString(email);
        }

        return new(PersonReference.ForId(id), body);
    }

    /// <summary>Looks a person up through the hot path and notes the connection and how many statements it had prepared before and after.</summary>
    [Fact]
    public async Task AnIdentifysBodyIsTakenApartOnceByTheCallerAndNotAgainByTheWriter()
    {
        await using var harness = await PeopleHarness.CreateAsync(TestStore.Sqlite, Ct);
        var single = new CountingBody("""{"email":"a@x.com","plan":"pro"}""");
        var imported = new[] { new CountingBody("""{"plan":"basic"}"""), new CountingBody("""{"plan":"free"}""") };

        var identify = harness.Service.ExecuteAsync(harness.Context(), new IdentifyOperation(PersonReference.ForId("a"), single), Ct);
        single.Enumerations.ShouldBe(1);
        var import = harness.Service.ImportPeopleAsync(
            harness.Context(), [new IdentifyOperation(PersonReference.ForId("b"), imported[0]), new IdentifyOperation(PersonReference.ForId("c"), imported[1])], Ct);
        imported.ShouldAllBe(b => b.Enumerations == 1);

        (await identify).Status.ShouldBe(OperationStatus.Applied);
        (await import).ShouldAllBe(r => r.Status == OperationStatus.Applied);
        single.Enumerations.ShouldBe(1);
        imported.ShouldAllBe(b => b.Enumerations == 1);
        (await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct))!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public void ACopyOfAnIdentifyMadeWithWithIsCheckedForItsOwnBody()
    {
        var good = new IdentifyOperation(PersonReference.ForId("a"), PeopleHarness.Body("""{"plan":"pro"}"""));
        good.Check().Error.ShouldBeNull();

        var bad = good with { Attributes = PeopleHarness.Body("""{"_timestamp":"soon"}""") };

        bad.Check().Error!.Field.ShouldBe("_timestamp");
        bad.Check().Body.Attributes.ShouldBeEmpty();
    }


    [Fact]
    public async Task WhatTheWriterCommitsIsCopiedIntoTheDatabaseFileBesideTheWriterLongBeforeTheLogIsFull()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);

        await writer.SubmitAsync(new OperationContext(workspaceId, Sources.Api), [new AddSegment("copied")], Ct);

        // The write-ahead log holds a few pages, far below the automatic checkpoint's threshold, and the writer's
        // connection stays open: only the checkpointer beside the writer copies the row into the database file.
        // A copy of that file alone (without its log) shows what has been copied.
        // It is given up to a minute (a checkpoint takes milliseconds) so that a busy machine does not fail the test.
        var copy = Path.Combine(database.Directory, "copy.db");
        var copied = false;
        for (var attempt = 0; attempt < 1200 && !copied; attempt++)
        {
            copied = SegmentInDatabaseFileOnly(Path.Combine(database.Directory, "test.db"), copy, "copied");
            if (!copied)
            {
                await Task.Delay(50, Ct);
            }
        }

        copied.ShouldBeTrue("the committed segment never reached the database file");
    }

    private static bool SegmentInDatabaseFileOnly(string databaseFile, string copy, string name)
    {
        File.Copy(databaseFile, copy, overwrite: true);
        File.Delete(copy + "-wal");
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM Segments WHERE Name = $name";
            command.Parameters.AddWithValue("$name", name);
            return (long)command.ExecuteScalar()! == 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false; // copied while the checkpointer was writing it: look again
        }
    }
    /// <summary>An identify body that counts how often it is read through.</summary>
    private sealed class CountingBody(string json) : IReadOnlyDictionary<string, AttributeValue>
    {
        private readonly Dictionary<string, AttributeValue> _inner = PeopleHarness.Body(json);

        public int Enumerations { get; private set; }

        public AttributeValue this[string key] => _inner[key];

        public IEnumerable<string> Keys => _inner.Keys;

        public IEnumerable<AttributeValue> Values => _inner.Values;

        public int Count => _inner.Count;

        public bool ContainsKey(string key) => _inner.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out AttributeValue value) => _inner.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, AttributeValue>> GetEnumerator()
        {
            Enumerations++;
            return _inner.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task AnOperationThatKeepsItsOwnReferencesRunsAloneWithTheForeignKeyChecksOffAndTheNextHasThemOnAgain()
    {
        // Arrange: the writer is held, so that the three submissions below wait in its queue together
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var context = new OperationContext(workspaceId, Sources.Api);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = writer.SubmitAsync(context, [new Hold(release.Task)], Ct);
        var before = new ReadForeignKeys(KeepsOwn: false);
        var own = new ReadForeignKeys(KeepsOwn: true);
        var after = new ReadForeignKeys(KeepsOwn: false);
        var waiting = new[] { before, own, after }.Select(o => writer.SubmitAsync(context, [o], Ct)).ToList();

        // Act
        release.SetResult();
        await held;
        await Task.WhenAll(waiting);

        // Assert
        (before.ChecksOn, own.ChecksOn, after.ChecksOn).ShouldBe((true, false, true));
        own.Session.ShouldNotBeSameAs(before.Session, "it had a transaction of its own");
        own.Session.ShouldNotBeSameAs(after.Session, "it had a transaction of its own");
    }

    private sealed record Hold(Task Release) : PeopleOperation
    {
        internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            await Release.WaitAsync(cancellationToken);
            return new OperationResult(OperationStatus.Applied);
        }
    }

    private sealed record ReadForeignKeys(bool KeepsOwn) : PeopleOperation
    {
        public bool? ChecksOn { get; private set; }

        public WriteSession? Session { get; private set; }

        internal override bool KeepsItsOwnReferences => KeepsOwn;

        internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            Session = session;
            ChecksOn = (await session.Db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS Value FROM pragma_foreign_keys").ToListAsync(cancellationToken)).Single() == 1;
            return new OperationResult(OperationStatus.Applied);
        }
    }

    private sealed record LookUp(string Id) : PeopleOperation
    {
        public object? Connection { get; private set; }

        public int PreparedBefore { get; private set; }

        public int PreparedAfter { get; private set; }

        public List<string> Sql { get; } = [];

        internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            var statements = ((SqliteWriterConnection)session.Connection).Statements;
            PreparedBefore = statements.Count;
            await session.Store.FindByExternalIdAsync(session.Context.WorkspaceId, Id, cancellationToken);
            Connection = session.Db.Database.GetDbConnection();
            PreparedAfter = statements.Count;
            Sql.AddRange(statements.Sql);
            return new OperationResult(OperationStatus.Applied);
        }
    }

    /// <summary>Commits behind the writer's back, so that its savepoint and its transaction fail.</summary>
    private sealed record EndTheTransaction : PeopleOperation
    {
        internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            await session.Db.Database.ExecuteSqlRawAsync("COMMIT", cancellationToken);
            return new OperationResult(OperationStatus.Applied);
        }
    }

    internal sealed record AddSegment(string Name) : PeopleOperation
    {
        internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            session.Db.Segments.Add(new Segment { Name = Name, WorkspaceId = session.Context.WorkspaceId });
            return Task.FromResult(new OperationResult(OperationStatus.Applied));
        }
    }

    internal sealed record RejectAfterWriting(string Name) : PeopleOperation
    {
        internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            session.Db.Segments.Add(new Segment { Name = Name, WorkspaceId = session.Context.WorkspaceId });
            await session.Db.SaveChangesAsync(cancellationToken);
            return OperationResult.Rejected(ErrorKind.Invalid, "name", "rejected after writing");
        }
    }

    private sealed record Throw : PeopleOperation
    {
        internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            session.Db.Segments.Add(new Segment { Name = "never", WorkspaceId = session.Context.WorkspaceId });
            await session.Db.SaveChangesAsync(cancellationToken);
            throw new InvalidOperationException("boom");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Tests.Data;

namespace PeopleAdmin.Core.Tests.Writing;

public sealed class WriteQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailingOperationInABatchFailsAloneAndItsBatchMatesApply()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
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
        await using var database = await TestDatabase.CreateAsync(Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(database.Factory, TimeProvider.System, new WriterOptions { QueueCapacity = 8 }, NullLogger<WriteQueue>.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            writer.SubmitAsync(new OperationContext(workspaceId, Sources.Api), [new AddSegment($"segment {i}")], Ct)));

        results.ShouldAllBe(r => r.Single().Status == OperationStatus.Applied);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        (await db.Segments.CountAsync(Ct)).ShouldBe(200);
    }

    private sealed record AddSegment(string Name) : PeopleOperation
    {
        internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
        {
            session.Db.Segments.Add(new Segment { Name = Name, WorkspaceId = session.Context.WorkspaceId });
            return Task.FromResult(new OperationResult(OperationStatus.Applied));
        }
    }

    private sealed record RejectAfterWriting(string Name) : PeopleOperation
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

using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.BulkActions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// Bulk actions over a selection or a filter: each batch goes through the identity service and judges every person as
/// they are in the transaction that changes them, so people who changed while the action ran are skipped with the reason.
/// </summary>
[BothStores]
public sealed class BulkActionTests : IAsyncLifetime
{
    private static readonly AudienceFilter Pro = new AttributeFilter("plan", AttributeOperator.Equals, "pro");

    private PeopleHarness _harness = null!;
    private AuditTrail _audit = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await PeopleHarness.CreateAsync(Ct);
        _audit = new AuditTrail(_harness.Database.Factory, _harness.Clock);
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task AddingEveryoneAFilterMatchesToASegmentAddsExactlyThemInBatchesAndAuditsTheStartAndTheSummary()
    {
        // Arrange: five people, three on the pro plan; batches of two so that the action takes several
        var cioIds = await IdentifyAsync(("a", "pro"), ("b", "free"), ("c", "pro"), ("d", "pro"), ("e", "free"));
        var segment = await SegmentAsync("Pro customers");
        var bulk = new BulkActionService(_harness.Service, _audit, _harness.Clock, batchSize: 2);

        // Act
        var job = await bulk.StartAsync(_harness.WorkspaceId, Request(BulkActionKind.AddToSegment, BulkActionTarget.Matching(Pro), segment), Ct);
        await bulk.RunAsync(job!, Ct);

        // Assert
        job!.Progress.State.ShouldBe(BulkActionState.Done);
        job.Progress.Total.ShouldBe(3);
        job.Progress.Changed.ShouldBe(3);
        job.Progress.Summary(job.Request.Done).ShouldBe("3 of 3 people added");
        (await MembersAsync(segment)).ShouldBe([cioIds[0], cioIds[2], cioIds[3]], ignoreOrder: true);
        var audited = await _audit.SearchAsync(new AuditQuery(Kind: "People"), 0, 10, Ct);
        audited.Entries.Select(e => e.Detail).ShouldBe(
        [
            $"workspace {_harness.WorkspaceId}: #1 Add to segment \"Pro customers\", everyone on the pro plan: 3 of 3 people added",
            $"workspace {_harness.WorkspaceId}: #1 Add to segment \"Pro customers\", everyone on the pro plan: started",
        ]);
        audited.Entries.ShouldAllBe(e => e.Actor == "ann@example.test");
    }

    [Fact]
    public async Task DeletingASelectionSkipsSomeoneMergedAwayAfterTheSelectionWasMadeAndSaysWhy()
    {
        // Arrange: three selected, then the third is merged into someone else before the action runs
        var cioIds = await IdentifyAsync(("a", "pro"), ("b", "pro"), ("c", "pro"), ("d", "free"));
        var bulk = new BulkActionService(_harness.Service, _audit, _harness.Clock);
        var job = await bulk.StartAsync(_harness.WorkspaceId, Request(BulkActionKind.Delete, BulkActionTarget.Selection([.. cioIds.Take(3)])), Ct);
        (await _harness.RunAsync(new MergeOperation(PersonReference.ForCioId(cioIds[3]), PersonReference.ForCioId(cioIds[2])), Ct)).Status.ShouldBe(OperationStatus.Applied);

        // Act
        await bulk.RunAsync(job!, Ct);

        // Assert
        job!.Progress.State.ShouldBe(BulkActionState.Done);
        job.Progress.Changed.ShouldBe(2);
        job.Progress.Examples.ShouldBe([new SkippedPerson(cioIds[2], BulkRules.SkippedGone)]);
        job.Progress.Summary(job.Request.Done).ShouldBe($"2 of 3 people deleted; 1 skipped: 1 {BulkRules.SkippedGone}");
        (await _harness.PeopleAsync(Ct)).Select(p => p.CioId).ShouldBe([cioIds[3]]);
    }

    [Fact]
    public async Task ABatchChangesOnlyThePeopleWhoStillMatchTheFilterInItsOwnTransaction()
    {
        // Arrange: the batch names three people who matched when the action read them; then one moves to another plan
        // and one is deleted, as an API call running beside the action would do
        var cioIds = await IdentifyAsync(("a", "pro"), ("b", "pro"), ("c", "pro"));
        await _harness.IdentifyAsync("b", """{"plan":"free"}""", Ct);
        await _harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("c")), Ct);

        // Act
        var result = await _harness.RunAsync(new BulkPeopleOperation(BulkActionKind.Suppress, cioIds, StillMatching: Pro), Ct);

        // Assert: only a is suppressed; b, who no longer matches, is alive; c is reported gone
        result.Status.ShouldBe(OperationStatus.Applied);
        result.Skipped.ShouldBe([new SkippedPerson(cioIds[1], BulkRules.SkippedNoLongerMatching), new SkippedPerson(cioIds[2], BulkRules.SkippedGone)]);
        (await _harness.PeopleAsync(Ct)).Select(p => p.ExternalId).ShouldBe(["b"]);
        (await _harness.SuppressedAsync(Ct)).ShouldBe(["a"]);
    }

    [Fact]
    public async Task SomeoneWhoComesToMatchAfterTheActionReadItsPeopleIsLeftOut()
    {
        // Arrange: the action reads who matches when it starts; d joins the pro plan after its first batch
        var cioIds = await IdentifyAsync(("a", "pro"), ("b", "pro"), ("d", "free"));
        var segment = await SegmentAsync("Pro");
        var bulk = new BulkActionService(_harness.Service, _audit, _harness.Clock, batchSize: 1);
        var job = await bulk.StartAsync(_harness.WorkspaceId, Request(BulkActionKind.AddToSegment, BulkActionTarget.Matching(Pro), segment), Ct);

        // Act
        var run = bulk.RunAsync(job!, Ct);
        await _harness.IdentifyAsync("d", """{"plan":"pro"}""", Ct);
        await run;

        // Assert: whether d's change came before or after the snapshot, d is never added unless the snapshot saw d match
        job!.Progress.State.ShouldBe(BulkActionState.Done);
        var members = await MembersAsync(segment);
        members.ShouldContain(cioIds[0]);
        members.ShouldContain(cioIds[1]);
        members.Count.ShouldBe(job.Progress.Total!.Value);
    }

    [Fact]
    public async Task RemovingASelectionFromASegmentLogsEachPersonWhoLeftAndLeavesTheOthers()
    {
        // Arrange
        var cioIds = await IdentifyAsync(("a", "pro"), ("b", "pro"), ("c", "pro"));
        var segment = await SegmentAsync("Pro");
        await _harness.RunAsync(new AddToSegmentOperation(segment, [.. cioIds.Select(PersonReference.ForCioId)]), Ct);
        var bulk = new BulkActionService(_harness.Service, _audit, _harness.Clock);
        var job = await bulk.StartAsync(_harness.WorkspaceId, Request(BulkActionKind.RemoveFromSegment, BulkActionTarget.Selection([cioIds[0], cioIds[2]]), segment), Ct);

        // Act
        await bulk.RunAsync(job!, Ct);

        // Assert
        job!.Progress.Summary(job.Request.Done).ShouldBe("2 of 2 people removed");
        (await MembersAsync(segment)).ShouldBe([cioIds[1]]);
        var entries = (await _harness.ActivityAsync(Ct)).Where(e => e.Type == ActivityTypes.SegmentChange && e.Data!.Contains("\"removed\"", StringComparison.Ordinal)).ToList();
        entries.Select(e => e.CioId).ShouldBe([cioIds[0], cioIds[2]]);
        entries.ShouldAllBe(e => e.Source == Sources.Ui && e.Actor == "ann@example.test");
    }

    [Fact]
    public async Task ASegmentDeletedBeforeTheActionRunsStopsItWithTheReason()
    {
        // Arrange
        await IdentifyAsync(("a", "pro"));
        var segment = await SegmentAsync("Gone soon");
        var bulk = new BulkActionService(_harness.Service, _audit, _harness.Clock);
        var job = await bulk.StartAsync(_harness.WorkspaceId, Request(BulkActionKind.AddToSegment, BulkActionTarget.Matching(Pro), segment), Ct);
        await _harness.RunAsync(new DeleteSegmentOperation(segment), Ct);

        // Act
        await bulk.RunAsync(job!, Ct);

        // Assert
        job!.Progress.State.ShouldBe(BulkActionState.Failed);
        job.Progress.Error.ShouldBe($"segment {segment} does not exist in this workspace");
        job.Progress.Summary().ShouldEndWith($"Stopped: segment {segment} does not exist in this workspace");
    }

    [Fact]
    public async Task ABatchRefusesMoreThanItsLimitAndASegmentActionWithoutASegment()
    {
        // Act
        var tooMany = await _harness.RunAsync(new BulkPeopleOperation(BulkActionKind.Delete, [.. Enumerable.Range(0, BulkPeopleOperation.MaxPeople + 1).Select(i => $"x{i}")]), Ct);
        var noSegment = await _harness.RunAsync(new BulkPeopleOperation(BulkActionKind.AddToSegment, ["x"]), Ct);

        // Assert
        tooMany.Error!.Message.ShouldBe("a bulk batch names 1 to 1,000 people, not 1,001");
        noSegment.Error!.Field.ShouldBe("segment_id");
    }

    private BulkActionRequest Request(BulkActionKind kind, BulkActionTarget target, int? segmentId = null) =>
        new(kind, target, target.Filter is null ? $"the {target.CioIds!.Count} selected people" : "everyone on the pro plan", "ann@example.test", segmentId,
            segmentId is null ? null : SegmentName(segmentId.Value));

    private readonly Dictionary<int, string> _segmentNames = [];

    private string SegmentName(int id) => _segmentNames[id];

    private async Task<List<string>> IdentifyAsync(params (string Id, string Plan)[] people)
    {
        var cioIds = new List<string>();
        foreach (var (id, plan) in people)
        {
            var result = await _harness.IdentifyAsync(id, $$"""{"plan":"{{plan}}"}""", Ct);
            cioIds.Add(result.CioId!);
        }

        return cioIds;
    }

    private async Task<int> SegmentAsync(string name)
    {
        var created = await _harness.RunAsync(new CreateSegmentOperation(name, null), Ct);
        var id = (int)created.RecordId!.Value;
        _segmentNames[id] = name;
        return id;
    }

    private async Task<List<string>> MembersAsync(int segmentId)
    {
        await using var db = await _harness.ContextAsync(Ct);
        return await db.SegmentMemberships.Where(m => m.SegmentId == segmentId).Join(db.People, m => m.PersonId, p => p.Id, (m, p) => p.CioId).ToListAsync(Ct);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Writing;

/// <summary>
/// The writer's everyday path: identifies and events are written with prepared statements, not SaveChanges; the
/// rarer operations still go through SaveChanges whole. Both leave the same people behind.
/// </summary>
public sealed class EverydayPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdentifiesThatCreateUpdateAndRemoveAttributesAndEventsAreWrittenWithoutSaveChanges()
    {
        var saves = new SaveCounter();
        await using var harness = await PeopleHarness.CreateAsync(TestStore.Sqlite, Ct, interceptors: saves);
        saves.Forget(); // the workspace's setup

        (await harness.IdentifyAsync("ann", """{"email":"Ann@Example.com","plan":"free","age":41}""", Ct)).Status.ShouldBe(OperationStatus.Applied);
        (await harness.IdentifyAsync("ann", """{"plan":"pro","age":null,"vip":true}""", Ct)).Status.ShouldBe(OperationStatus.Applied);
        (await harness.IdentifyAsync("ann@example.com", """{"id":"other"}""", Ct)).FailedChanges.ShouldNotBeEmpty();
        var data = JsonDocument.Parse("""{"total":12}""").RootElement;
        (await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("ann"), new EventInput("purchase", EventInput.EventType, data, null, null)), Ct))
            .Status.ShouldBe(OperationStatus.Applied);

        saves.Count.ShouldBe(0);
        var ann = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("ann"), Ct);
        ann.ShouldNotBeNull();
        ann.Email.ShouldBe("Ann@Example.com");
        ann.Attributes.Select(a => (a.Name, a.Value)).OrderBy(a => a.Name).ShouldBe([("plan", "pro"), ("vip", "true")]);
    }

    [Fact]
    public async Task AnIdentifyUpdatingAPersonLeavesNothingButTheWorkspaceInTheChangeTracker()
    {
        await using var harness = await PeopleHarness.CreateAsync(TestStore.Sqlite, Ct);
        await harness.IdentifyAsync("ann", """{"email":"ann@example.com","plan":"free","age":41}""", Ct);
        var update = new ObservedIdentify(new IdentifyOperation(PersonReference.ForId("ann"), PeopleHarness.Body("""{"plan":"pro","age":null,"vip":true}""")));

        (await harness.RunAsync(update, Ct)).Status.ShouldBe(OperationStatus.Applied);

        update.Tracked.ShouldBe(["Workspace", "WorkspaceSettings"], ignoreOrder: true);
        var ann = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("ann"), Ct);
        ann!.Attributes.Select(a => (a.Name, a.Value)).OrderBy(a => a.Name).ShouldBe([("plan", "pro"), ("vip", "true")]);
    }

    [Fact]
    public async Task AMergeStillGoesThroughSaveChangesAndKeepsTheEverydayEntriesOfItsOperation()
    {
        var saves = new SaveCounter();
        await using var harness = await PeopleHarness.CreateAsync(TestStore.Sqlite, Ct, interceptors: saves);
        await harness.IdentifyAsync("p", """{"plan":"pro"}""", Ct);
        await harness.IdentifyAsync("s@x.com", """{"city":"Oslo"}""", Ct);

        saves.Forget();

        var merge = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForEmail("s@x.com")), Ct);

        merge.Status.ShouldBe(OperationStatus.Applied);
        saves.Count.ShouldBeGreaterThan(0);
        var primary = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("p"), Ct);
        primary!.Email.ShouldBe("s@x.com");
        primary.Attributes.Select(a => a.Name).OrderBy(n => n).ShouldBe(["city", "plan"]);
    }

    /// <summary>Applies an identify and saves it, then notes which entities EF Core's change tracker holds.</summary>
    private sealed record ObservedIdentify(IdentifyOperation Inner) : PeopleOperation
    {
        public List<string> Tracked { get; } = [];

        internal override async Task<OperationResult> ApplyAsync(PeopleAdmin.Core.People.Writing.WriteSession session, CancellationToken cancellationToken)
        {
            var result = await Inner.ApplyAsync(session, cancellationToken);
            await session.SaveAsync(cancellationToken);
            Tracked.AddRange(session.Db.ChangeTracker.Entries().Select(e => e.Entity.GetType().Name));
            return result;
        }
    }

    private sealed class SaveCounter : SaveChangesInterceptor
    {
        private int _count;

        public int Count => _count;

        public void Forget() => _count = 0;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}

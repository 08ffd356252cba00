using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Delete, suppress (groups, identifiers nobody holds), unsuppress.</summary>
[BothStores]
public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteFreesTheIdentifiersAndKeepsStrippedEntriesInTheWorkspaceLog()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var first = await harness.IdentifyAsync("a", """{"email":"a@x.com","plan":"pro"}""", Ct);
        await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), new EventInput("bought", EventInput.EventType, null, null, null)), Ct);

        var deleted = await harness.RunAsync(new DeletePersonOperation(PersonReference.ForEmail("A@x.com")), Ct, Sources.Ui);
        var again = await harness.IdentifyAsync("a", "{}", Ct);

        deleted.CioId.ShouldBe(first.CioId);
        again.Created.ShouldBeTrue();
        again.CioId.ShouldNotBe(first.CioId);
        var old = (await harness.ActivityAsync(Ct)).Where(e => e.CioId == first.CioId).ToList();
        old.Select(e => e.Type).ShouldBe([ActivityTypes.ProfileCreate, ActivityTypes.AttributeChange, ActivityTypes.Event, ActivityTypes.ProfileDelete]);
        old.Take(3).ShouldAllBe(e => e.PersonId == null && e.Data == null && e.Name == null);
        old[^1].Source.ShouldBe(Sources.Ui);
        (await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, again.CioId, null, 10, null), Ct)).Items
            .ShouldAllBe(i => i.CioId == again.CioId);
    }

    [Fact]
    public async Task DeletingNobodyIsIgnoredAndLogged()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("ghost")), Ct);

        result.Status.ShouldBe(OperationStatus.Ignored);
        (await harness.ActivityAsync(Ct)).Single().Type.ShouldBe(ActivityTypes.RequestIgnored);
    }

    [Fact]
    public async Task SuppressDeletesThePersonAndSuppressesBothIdentifiersAsOneGroup()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var person = await harness.IdentifyAsync("a", """{"email":"A@x.com"}""", Ct);

        await harness.RunAsync(new SuppressOperation(PersonReference.ForCioId(person.CioId!)), Ct);
        var byEmail = await harness.IdentifyAsync("a@X.com", "{}", Ct);
        var byId = await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), new EventInput("x", EventInput.EventType, null, null, null)), Ct);

        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
        var list = await harness.Service.ListSuppressionsAsync(harness.WorkspaceId, Ct);
        list.Select(s => s.Value).ShouldBe(["a", "A@x.com"]);
        list.Select(s => s.GroupId).Distinct().Count().ShouldBe(1);
        list.ShouldAllBe(s => s.CioId == person.CioId);
        byEmail.Status.ShouldBe(OperationStatus.Ignored);
        byId.Status.ShouldBe(OperationStatus.Ignored);
    }

    [Fact]
    public async Task SuppressingAnIdentifierNobodyHoldsPutsItOnTheList()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new SuppressOperation(PersonReference.ForEmail("nobody@x.com")), Ct);
        var later = await harness.IdentifyAsync("NOBODY@x.com", "{}", Ct);

        result.Status.ShouldBe(OperationStatus.Applied);
        later.Status.ShouldBe(OperationStatus.Ignored);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task UnsuppressTakesTheWholeGroupOffAndALaterIdentifyCreatesANewPerson()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var person = await harness.IdentifyAsync("a", """{"email":"a@x.com"}""", Ct);
        await harness.RunAsync(new SuppressOperation(PersonReference.ForId("a")), Ct);

        var result = await harness.RunAsync(new UnsuppressOperation(PersonReference.ForEmail("a@x.com")), Ct);
        var again = await harness.IdentifyAsync("a", "{}", Ct);

        result.Status.ShouldBe(OperationStatus.Applied);
        (await harness.Service.ListSuppressionsAsync(harness.WorkspaceId, Ct)).ShouldBeEmpty();
        again.Created.ShouldBeTrue();
        again.CioId.ShouldNotBe(person.CioId);
        var types = (await harness.ActivityAsync(Ct)).Select(e => e.Type).ToList();
        types.ShouldContain(ActivityTypes.ProfileSuppress);
        types.ShouldContain(ActivityTypes.ProfileUnsuppress);
    }

    [Fact]
    public async Task UnsuppressingWhatIsNotSuppressedIsIgnored()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new UnsuppressOperation(PersonReference.ForId("a")), Ct);

        result.IgnoredReason.ShouldBe("the identifier is not suppressed");
    }

    [Fact]
    public async Task DeleteRemovesDevicesMembershipsAndAttributes()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"plan":"pro"}""", Ct);
        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForId("a"), new DeviceInput("tok", "ios", null, null)), Ct);
        var segment = await harness.RunAsync(new CreateSegmentOperation("S", null), Ct);
        await harness.RunAsync(new AddToSegmentOperation((int)segment.RecordId!, [PersonReference.ForId("a")]), Ct);

        await harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("a")), Ct);

        await using var db = await harness.ContextAsync(Ct);
        (await db.Devices.CountAsync(Ct)).ShouldBe(0);
        (await db.SegmentMemberships.CountAsync(Ct)).ShouldBe(0);
        (await db.PersonAttributes.CountAsync(Ct)).ShouldBe(0);
    }
}

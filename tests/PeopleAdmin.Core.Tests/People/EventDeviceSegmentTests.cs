using System.Text.Json;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Events (person and anonymous), devices and manual segments.</summary>
[BothStores]
public sealed class EventDeviceSegmentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EventInput Event(string name, string type = EventInput.EventType, string? id = null, string? data = null, long? timestamp = null) =>
        new(name, type, data is null ? null : JsonDocument.Parse(data).RootElement.Clone(), timestamp, id);

    public static TheoryData<string, string, string> EventShapes => new()
    {
        { "  bought  ", EventInput.EventType, "bought" },
        { "https://x.com/pricing", EventInput.PageType, "https://x.com/pricing" },
        { "Settings", EventInput.ScreenType, "Settings" },
    };

    [Theory]
    [MemberData(nameof(EventShapes))]
    public async Task AnEventIsStoredWithItsTypeTrimmedNameDataAndTime(string name, string type, string stored)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), Event(name, type, data: """{"price":9}""", timestamp: 1700000000)), Ct);

        result.Created.ShouldBeTrue();
        var entry = (await harness.ActivityAsync(Ct)).Single(e => e.Type == type);
        entry.Name.ShouldBe(stored);
        entry.Data.ShouldBe("""{"price":9}""");
        entry.Timestamp.ShouldBe(1700000000);
    }

    [Fact]
    public async Task AnEventIdAlreadySeenInTheWorkspaceIsIgnored()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), Event("x", id: "01HZZ")), Ct);

        var again = await harness.RunAsync(new TrackAnonymousEventOperation("anon", Event("y", id: "01HZZ")), Ct);

        again.IgnoredReason.ShouldBe("an event with this id was already received");
        (await harness.ActivityAsync(Ct)).Count(e => e.Type == ActivityTypes.Event).ShouldBe(1);
    }

    public static TheoryData<string, string, string> InvalidEvents => new()
    {
        { new string('n', 101), "name", "name is 101 bytes; the limit is 100 bytes" },
        { "   ", "name", "the event name is empty" },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task AnEventOverItsLimitsIsRejected(string name, string field, string message)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), Event(name)), Ct);

        result.Error!.Field.ShouldBe(field);
        result.Error.Message.ShouldBe(message);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public void EventDataOverOneHundredThousandBytesIsRejected()
    {
        var data = $$"""{"blob":"{{new string('b', 100_000)}}"}""";

        var error = OperationValidator.Validate(new TrackEventOperation(PersonReference.ForId("a"), Event("x", data: data)));

        error!.Message.ShouldBe("data is 100011 bytes; the limit is 100,000 bytes");
    }

    [Fact]
    public async Task AnEventForAnUnknownCioIdCreatesNobody()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new TrackEventOperation(PersonReference.ForCioId("zz"), Event("x")), Ct);

        result.IgnoredReason.ShouldBe("unknown cio_id");
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnAnonymousEventNeverCreatesAPerson()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", Event("viewed")), Ct);

        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
        (await harness.ActivityAsync(Ct)).Single().AnonymousId.ShouldBe("anon-1");
    }

    public static TheoryData<bool, int, int> AnonymousMerge => new()
    {
        // setting, events the identify claims, later events that join the person
        { true, 1, 1 },
        { false, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(AnonymousMerge))]
    public async Task AnIdentifyWithAnAnonymousIdClaimsItsRecentEventsOnlyWhenTheWorkspaceMergesThem(bool setting, int claimed, int joined)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.AnonymousEventMerge = setting);
        var now = harness.Clock.GetUtcNow().ToUnixTimeSeconds();
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", Event("old", timestamp: now - 31 * 24 * 3600)), Ct);
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", Event("recent", timestamp: now - 3600)), Ct);
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-2", Event("someone else")), Ct);

        var identify = await harness.IdentifyAsync("a", """{"anonymous_id":"anon-1"}""", Ct);
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", Event("later")), Ct);

        var events = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, identify.CioId, [ActivityTypes.Event], 10, null), Ct);
        events.Items.Count(i => i.Name == "recent").ShouldBe(claimed);
        events.Items.Count(i => i.Name == "later").ShouldBe(joined);
        events.Items.ShouldNotContain(i => i.Name == "old" || i.Name == "someone else");
        (await harness.ActivityAsync(Ct)).Any(e => e.Type == ActivityTypes.AnonMerge).ShouldBe(setting);
    }

    [Fact]
    public async Task ADeviceIsAddedUpdatedByTokenAndRemovedEachLogged()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var added = await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForEmail("a@x.com"), new DeviceInput("tok", "ios", 100, null)), Ct);
        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForEmail("a@x.com"), new DeviceInput("tok", "ios", 200, PeopleHarness.Body("""{"app_version":"2.1","beta":true}"""))), Ct);
        var afterUpdate = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("a@x.com"), Ct);
        var removed = await harness.RunAsync(new RemoveDeviceOperation(PersonReference.ForEmail("a@x.com"), "tok"), Ct);

        added.Created.ShouldBeTrue();
        var device = afterUpdate!.Devices.Single();
        device.LastUsed.ShouldBe(200);
        device.AttributesJson.ShouldBe("""{"app_version":"2.1","beta":true}""");
        removed.Status.ShouldBe(OperationStatus.Applied);
        (await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("a@x.com"), Ct))!.Devices.ShouldBeEmpty();
        (await harness.ActivityAsync(Ct)).Count(e => e.Type == ActivityTypes.DeviceChange).ShouldBe(3);
    }

    [Fact]
    public async Task ATokenRegisteredByAnotherPersonMovesToTheNewOne()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForId("a"), new DeviceInput("tok", "android", null, null)), Ct);

        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForId("b"), new DeviceInput("tok", "android", null, null)), Ct);

        (await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct))!.Devices.ShouldBeEmpty();
        (await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("b"), Ct))!.Devices.Single().Token.ShouldBe("tok");
    }

    [Fact]
    public void AnInvalidDeviceIsRejected()
    {
        var error = OperationValidator.Validate(new UpsertDeviceOperation(PersonReference.ForId("a"), new DeviceInput("tok", "windows", null, null)));

        error!.Field.ShouldBe("device.platform");
    }

    [Fact]
    public async Task SegmentsAreCreatedRenamedFilledByAnyIdentifierEmptiedAndDeleted()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var a = await harness.IdentifyAsync("a", "{}", Ct);
        await harness.IdentifyAsync("b@x.com", "{}", Ct);
        var created = await harness.RunAsync(new CreateSegmentOperation("Leads", "from the fair"), Ct);
        var id = (int)created.RecordId!;

        var duplicate = await harness.RunAsync(new CreateSegmentOperation(" Leads ", null), Ct);
        await harness.RunAsync(new RenameSegmentOperation(id, "Hot leads", null), Ct);
        var added = await harness.RunAsync(new AddToSegmentOperation(id, [PersonReference.ForId("a"), PersonReference.ForEmail("B@x.com"), PersonReference.ForId("ghost")]), Ct);
        var listed = await harness.Service.ListSegmentsAsync(harness.WorkspaceId, Ct);
        var ofA = await harness.Service.GetPersonSegmentsAsync(harness.WorkspaceId, PersonReference.ForCioId(a.CioId!), Ct);
        await harness.RunAsync(new RemoveFromSegmentOperation(id, [PersonReference.ForCioId(a.CioId!)]), Ct);
        var afterRemove = await harness.Service.ListSegmentsAsync(harness.WorkspaceId, Ct);
        await harness.RunAsync(new DeleteSegmentOperation(id), Ct);

        duplicate.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        added.NotFound.ShouldBe(["ghost"]);
        listed.Single().ShouldBe(new SegmentSummary(id, "Hot leads", null, listed.Single().Created, 2));
        ofA!.Single().Name.ShouldBe("Hot leads");
        afterRemove.Single().Members.ShouldBe(1);
        (await harness.Service.ListSegmentsAsync(harness.WorkspaceId, Ct)).ShouldBeEmpty();
        (await harness.ActivityAsync(Ct)).Count(e => e.Type == ActivityTypes.SegmentChange).ShouldBe(6);
    }

    [Fact]
    public void ASegmentDescriptionOverItsLimitIsRefusedByEveryWayThatCreatesOrRenamesOne()
    {
        var longest = new string('x', Limits.SegmentDescriptionCharacters);

        var created = OperationValidator.Validate(new CreateSegmentOperation("Leads", longest + "x"));
        var renamed = OperationValidator.Validate(new RenameSegmentOperation(1, "Leads", longest + "x"));
        var atTheLimit = OperationValidator.Validate(new CreateSegmentOperation("Leads", $"  {longest}  "));

        (created!.Field, created.Message).ShouldBe(("description", "the description is 1,001 characters; the limit is 1,000"));
        renamed!.Field.ShouldBe("description");
        atTheLimit.ShouldBeNull();
    }

    [Fact]
    public async Task ChangingAnUnknownSegmentIsNotFound()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new AddToSegmentOperation(99, [PersonReference.ForId("a")]), Ct);

        result.Error!.Kind.ShouldBe(ErrorKind.NotFound);
    }
}

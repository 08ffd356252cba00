using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Automatic merge (its four conditions one by one), manual merge, preview, and undo.</summary>
[BothStores]
public sealed class MergeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record AutoRow(string Description, string[] Existing, string Reference, string Body, bool Merges, string[] Final, int Survivor = 0, bool Setting = true)
    {
        public override string ToString() => Description;
    }

    public static TheoryData<AutoRow> AutoRows => new(
        new AutoRow("all four conditions: path id, body email of an id-less person, merged into the older", ["a|-", "-|e@x.com"], "a", """{"email":"e@x.com","plan":"pro"}""", true, ["a|e@x.com"]),
        new AutoRow("all four conditions: path email, body id of an email-less person", ["a|-", "-|e@x.com"], "e@x.com", """{"id":"a","plan":"pro"}""", true, ["a|e@x.com"]),
        new AutoRow("the older profile is the primary even when the request names the younger", ["-|e@x.com", "a|-"], "a", """{"email":"e@x.com","plan":"pro"}""", true, ["a|e@x.com"], Survivor: 0),
        new AutoRow("body id and email of two people, path id unknown", ["a|-", "-|e@x.com"], "z", """{"id":"a","email":"e@x.com","plan":"pro"}""", true, ["a|e@x.com"]),
        new AutoRow("condition 1 false: a cio_id reference never merges", ["a|-", "-|e@x.com"], "cio_#0", """{"email":"e@x.com","plan":"pro"}""", false, ["a|-", "-|e@x.com"]),
        new AutoRow("condition 2 false: a failed change for another reason does not merge", ["a|-", "-|e@x.com"], "a", """{"email":"undefined","plan":"pro"}""", false, ["a|-", "-|e@x.com"]),
        new AutoRow("condition 3 false: the id's person already has an email", ["a|mine@x.com", "-|e@x.com"], "a", """{"email":"e@x.com","plan":"pro"}""", false, ["a|mine@x.com", "-|e@x.com"]),
        new AutoRow("condition 4 false: the email's person already has an id", ["a|-", "b|e@x.com"], "a", """{"email":"e@x.com","plan":"pro"}""", false, ["a|-", "b|e@x.com"]),
        new AutoRow("multi_identifier_merge off: no merge", ["a|-", "-|e@x.com"], "a", """{"email":"e@x.com","plan":"pro"}""", false, ["a|-", "-|e@x.com"], Setting: false));

    [Theory]
    [MemberData(nameof(AutoRows))]
    public async Task AutomaticMergeFiresOnlyUnderAllFourConditions(AutoRow row)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.MultiIdentifierMerge = row.Setting);
        var cioIds = await AddAsync(harness, row.Existing);
        await harness.IdentifyAsync("cio_" + cioIds[1], """{"older":"x"}""", Ct);

        var result = await harness.IdentifyAsync(row.Reference.Replace("#0", cioIds[0], StringComparison.Ordinal), row.Body, Ct);

        result.FailedChanges.ShouldNotBeEmpty();
        (result.MergedCioId is not null).ShouldBe(row.Merges);
        var people = await harness.PeopleAsync(Ct);
        people.Select(p => $"{p.ExternalId ?? "-"}|{p.Email ?? "-"}").ShouldBe(row.Final);
        if (row.Merges)
        {
            result.CioId.ShouldBe(cioIds[row.Survivor]);
            var survivor = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForCioId(result.CioId!), Ct);
            survivor!.Attributes.Select(a => a.Name).ShouldBe(["older", "plan"]);
            var types = (await harness.ActivityAsync(Ct)).Select(a => a.Type).ToList();
            types.ShouldContain(ActivityTypes.FailedAttributeChange);
            types.ShouldContain(ActivityTypes.ProfileMerge);
        }
    }

    [Fact]
    public async Task AManualMergeMovesIdentifiersAttributesActivityDevicesAndMemberships()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var primary = await harness.IdentifyAsync("p", """{"plan":"gold","city":"Oslo"}""", Ct);
        var secondary = await harness.IdentifyAsync("s@x.com", """{"plan":"free","age":30}""", Ct);
        await harness.RunAsync(new TrackEventOperation(PersonReference.ForEmail("s@x.com"), new EventInput("bought", EventInput.EventType, null, null, null)), Ct);
        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForEmail("s@x.com"), new DeviceInput("tok", "ios", 5, null)), Ct);
        var segment = await harness.RunAsync(new CreateSegmentOperation("VIP", null), Ct);
        await harness.RunAsync(new AddToSegmentOperation((int)segment.RecordId!, [PersonReference.ForEmail("s@x.com")]), Ct);

        var preview = await harness.Service.PreviewMergeAsync(harness.WorkspaceId, PersonReference.ForId("p"), PersonReference.ForEmail("s@x.com"), Ct);
        var merge = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForEmail("S@x.com")), Ct, Sources.Ui);

        preview.Result.ShouldBe(new PersonSummary(primary.CioId!, "p", "s@x.com"));
        preview.Attributes.Select(a => (a.Name, a.Result)).ShouldBe([("age", "30"), ("city", "Oslo"), ("plan", "gold")]);
        preview.DevicesMoving.ShouldBe(1);
        preview.SegmentsJoining.ShouldBe(["VIP"]);
        merge.MergedCioId.ShouldBe(secondary.CioId);
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("p"), Ct);
        person!.Email.ShouldBe("s@x.com");
        person.Attributes.Select(a => (a.Name, a.Value)).ShouldBe([("age", "30"), ("city", "Oslo"), ("plan", "gold")]);
        person.Devices.Single().Token.ShouldBe("tok");
        person.Segments.Single().Name.ShouldBe("VIP");
        var activity = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, primary.CioId, null, 100, null), Ct);
        activity.Items.ShouldContain(i => i.Type == ActivityTypes.Event && i.Name == "bought");
        activity.Items.ShouldContain(i => i.Type == ActivityTypes.ProfileMerge);
        (await harness.IdentifyAsync("cio_" + secondary.CioId, "{}", Ct)).IgnoredReason.ShouldBe("unknown cio_id");
    }

    [Fact]
    public async Task AMergeWithAMissingSideDoesNothingButLogIt()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("p", "{}", Ct);

        var result = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForId("nobody")), Ct);

        result.Status.ShouldBe(OperationStatus.Ignored);
        result.IgnoredReason.ShouldBe("the secondary person does not exist");
        (await harness.ActivityAsync(Ct))[^1].Type.ShouldBe(ActivityTypes.RequestIgnored);
    }

    [Fact]
    public async Task UndoRestoresTheSecondaryWithItsOwnCioIdAndTakesBackWhatTheMergeGave()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var primary = await harness.IdentifyAsync("p", """{"plan":"gold"}""", Ct);
        var secondary = await harness.IdentifyAsync("s@x.com", """{"plan":"free","age":30}""", Ct);
        await harness.RunAsync(new TrackEventOperation(PersonReference.ForEmail("s@x.com"), new EventInput("bought", EventInput.EventType, null, null, null)), Ct);
        await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForEmail("s@x.com"), new DeviceInput("tok", "android", null, null)), Ct);
        var merge = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForEmail("s@x.com")), Ct);

        var undo = await harness.RunAsync(new UndoMergeOperation(merge.RecordId!.Value), Ct);

        undo.Status.ShouldBe(OperationStatus.Applied, undo.Error?.Message);
        undo.CioId.ShouldBe(secondary.CioId);
        var restored = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForCioId(secondary.CioId!), Ct);
        restored!.Email.ShouldBe("s@x.com");
        restored.Attributes.Select(a => (a.Name, a.Value)).ShouldBe([("age", "30"), ("plan", "free")]);
        restored.Devices.Single().Token.ShouldBe("tok");
        var kept = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("p"), Ct);
        kept!.Email.ShouldBeNull();
        kept.Attributes.Select(a => (a.Name, a.Value)).ShouldBe([("plan", "gold")]);
        var activity = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, secondary.CioId, [ActivityTypes.Event], 10, null), Ct);
        activity.Items.Single().Name.ShouldBe("bought");
        (await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, primary.CioId, [ActivityTypes.Event], 10, null), Ct)).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task UndoAfterLaterEditsKeepsTheChangedValuesOnThePrimaryAndListsThem()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("p", "{}", Ct);
        await harness.IdentifyAsync("s@x.com", """{"age":30,"city":"Oslo"}""", Ct);
        var merge = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForEmail("s@x.com")), Ct);
        await harness.IdentifyAsync("p", """{"age":31}""", Ct);

        var undo = await harness.RunAsync(new UndoMergeOperation(merge.RecordId!.Value), Ct);

        undo.Kept.ShouldBe(["age"]);
        var primary = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("p"), Ct);
        primary!.Attributes.Select(a => (a.Name, a.Value)).ShouldBe([("age", "31")]);
        (await harness.ActivityAsync(Ct)).ShouldContain(e => e.Type == ActivityTypes.MergeUndo && e.Data!.Contains("\"kept\":[\"age\"]", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "identifier taken", "now belongs to cio_" },
        { "identifier suppressed", "is suppressed" },
        { "primary deleted", "has since been deleted" },
        { "primary suppressed", "has since been suppressed" },
        { "primary merged", "has since been merged into cio_" },
        { "already undone", "was already undone" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task UndoIsRefusedWithTheReason(string situation, string reason)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("p", "{}", Ct);
        await harness.IdentifyAsync("s", "{}", Ct);
        var merge = await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForId("s")), Ct);
        var primary = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("p"), Ct);
        switch (situation)
        {
            case "identifier taken":
                await harness.IdentifyAsync("s@x.com", """{"id":"s"}""", Ct);
                break;
            case "identifier suppressed":
                await harness.RunAsync(new SuppressOperation(PersonReference.ForId("s")), Ct);
                break;
            case "primary deleted":
                await harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("p")), Ct);
                break;
            case "primary suppressed":
                await harness.RunAsync(new SuppressOperation(PersonReference.ForId("p")), Ct);
                break;
            case "primary merged":
                await harness.IdentifyAsync("q", "{}", Ct);
                await harness.RunAsync(new MergeOperation(PersonReference.ForId("q"), PersonReference.ForCioId(primary!.CioId)), Ct);
                break;
            default:
                await harness.RunAsync(new UndoMergeOperation(merge.RecordId!.Value), Ct);
                break;
        }

        var undo = await harness.RunAsync(new UndoMergeOperation(merge.RecordId!.Value), Ct);

        undo.Status.ShouldBe(OperationStatus.Rejected);
        undo.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        undo.Error.Message.ShouldContain(reason);
    }

    [Fact]
    public async Task AnUnknownMergeRecordIsNotFound()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var undo = await harness.RunAsync(new UndoMergeOperation(42), Ct);

        undo.Error!.Kind.ShouldBe(ErrorKind.NotFound);
    }

    [Fact]
    public async Task AMergedAwayCioIdIsNeverGivenToAnyoneElse()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("p", "{}", Ct);
        var secondary = await harness.IdentifyAsync("s", "{}", Ct);
        await harness.RunAsync(new MergeOperation(PersonReference.ForId("p"), PersonReference.ForId("s")), Ct);

        var later = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            later.Add((await harness.IdentifyAsync("n" + i, "{}", Ct)).CioId!);
        }

        later.ShouldNotContain(secondary.CioId!);
        await using var db = await harness.ContextAsync(Ct);
        (await db.MergeRecords.SingleAsync(Ct)).SecondaryCioId.ShouldBe(secondary.CioId);
    }

    private static async Task<List<string>> AddAsync(PeopleHarness harness, string[] people)
    {
        var ids = new List<string>();
        foreach (var person in people)
        {
            var parts = person.Split('|');
            var added = await harness.RunAsync(new AddPersonOperation(parts[0] == "-" ? null : parts[0], parts[1] == "-" ? null : parts[1], new Dictionary<string, AttributeValue>()), Ct);
            ids.Add(added.CioId!);
        }

        return ids;
    }
}

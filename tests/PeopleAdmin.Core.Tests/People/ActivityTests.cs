using System.Text.Json;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Every decision of identify leaves its entry, and the activity reads page through them newest first.</summary>
[BothStores]
public sealed class ActivityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreatingAPersonLogsTheCreationAndTheValuesSet()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        await harness.IdentifyAsync("a", """{"email":"a@x.com","plan":"pro"}""", Ct, Sources.Csv);

        var entries = await harness.ActivityAsync(Ct);
        entries.Select(e => e.Type).ShouldBe([ActivityTypes.ProfileCreate, ActivityTypes.AttributeChange]);
        entries.ShouldAllBe(e => e.Source == Sources.Csv && e.PersonId != null);
        using var data = JsonDocument.Parse(entries[1].Data!);
        data.RootElement.GetProperty("plan").GetProperty("to").GetString().ShouldBe("pro");
        data.RootElement.GetProperty("email").GetProperty("to").GetString().ShouldBe("a@x.com");
    }

    [Fact]
    public async Task AnOperatorsChangeNamesTheOperatorAndAnApiChangeNamesNobody()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"plan":"free"}""", Ct);

        await harness.Service.ExecuteAsync(harness.Context(Sources.Ui, "editor@example.test"),
            new IdentifyOperation(PersonReference.ForId("a"), PeopleHarness.Body("""{"plan":"pro"}""")), Ct);

        var entries = await harness.ActivityAsync(Ct);
        entries.Select(e => e.Actor).ShouldBe([null, null, "editor@example.test"]);
        var read = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, null, null, 10, null), Ct);
        read.Items[0].Actor.ShouldBe("editor@example.test");
    }

    [Fact]
    public async Task AnAttributeChangeRecordsFromAndTo()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"plan":"free"}""", Ct);

        await harness.IdentifyAsync("a", """{"plan":"pro"}""", Ct);

        var last = (await harness.ActivityAsync(Ct))[^1];
        last.Type.ShouldBe(ActivityTypes.AttributeChange);
        last.Data.ShouldBe("""{"plan":{"from":"free","to":"pro"}}""");
    }

    [Fact]
    public async Task AFailedAttributeChangeRecordsTheReasonAndTheValue()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.MultiIdentifierMerge = false);
        await harness.IdentifyAsync("a", "{}", Ct);
        await harness.IdentifyAsync("b", """{"email":"b@x.com"}""", Ct);

        await harness.IdentifyAsync("a", """{"email":"b@x.com"}""", Ct);

        var last = (await harness.ActivityAsync(Ct))[^1];
        last.Type.ShouldBe(ActivityTypes.FailedAttributeChange);
        last.Data.ShouldBe("""{"email":{"reason":"the identifier is already associated with a different profile","value":"b@x.com"}}""");
    }

    public static TheoryData<string, string, string> IgnoredRequests => new()
    {
        { "cio_nobody", "{}", "unknown cio_id" },
        { "a", """{"_update":true}""", "_update without a match" },
    };

    [Theory]
    [MemberData(nameof(IgnoredRequests))]
    public async Task AnIgnoredRequestLogsWhy(string reference, string body, string reason)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.IdentifyAsync(reference, body, Ct);

        result.Status.ShouldBe(OperationStatus.Ignored);
        var entry = (await harness.ActivityAsync(Ct)).Single();
        entry.Type.ShouldBe(ActivityTypes.RequestIgnored);
        using var data = JsonDocument.Parse(entry.Data!);
        data.RootElement.GetProperty("reason").GetString().ShouldBe(reason);
    }

    [Fact]
    public async Task ARequestIgnoredForASuppressedIdentifierLogsWhatItSuppressedAndWhatItLeftAlone()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var holder = await harness.IdentifyAsync("h", "{}", Ct);
        await harness.SuppressDirectlyAsync(PeopleAdmin.Core.People.IdentifierKind.Email, "s@x.com", Ct);

        await harness.IdentifyAsync("s@x.com", """{"id":"h"}""", Ct);

        var entry = (await harness.ActivityAsync(Ct))[^1];
        entry.Type.ShouldBe(ActivityTypes.RequestIgnored);
        using var data = JsonDocument.Parse(entry.Data!);
        data.RootElement.GetProperty("reason").GetString().ShouldBe("suppressed identifier");
        data.RootElement.GetProperty("left_alone")[0].GetProperty("held_by").GetString().ShouldBe(holder.CioId);
    }

    [Fact]
    public async Task AnUnchangedValueLogsNothing()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"plan":"pro"}""", Ct);
        var before = (await harness.ActivityAsync(Ct)).Count;

        await harness.IdentifyAsync("a", """{"plan":"pro"}""", Ct);

        (await harness.ActivityAsync(Ct)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task ActivityPagesNewestFirstWithACursorAndFiltersByType()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var a = await harness.IdentifyAsync("a", "{}", Ct);
        for (var i = 0; i < 5; i++)
        {
            await harness.IdentifyAsync("a", $$"""{"n":{{i}}}""", Ct);
        }

        await harness.IdentifyAsync("b", "{}", Ct);

        var first = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, "cio_" + a.CioId, [ActivityTypes.AttributeChange], 3, null), Ct);
        var second = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, a.CioId, [ActivityTypes.AttributeChange], 3, first.Next), Ct);
        var workspace = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, null, null, 100, null), Ct);

        first.Items.Select(i => i.Data).ShouldBe(["""{"n":{"from":"3","to":"4"}}""", """{"n":{"from":"2","to":"3"}}""", """{"n":{"from":"1","to":"2"}}"""]);
        second.Items.Count.ShouldBe(3);
        second.Next.ShouldBeNull();
        first.Items.ShouldAllBe(i => i.Id == "a" && i.CioId == a.CioId);
        workspace.Items[0].Type.ShouldBe(ActivityTypes.AttributeChange);
        workspace.Items[0].Id.ShouldBe("b");
        workspace.Items.Count.ShouldBe(9);
    }
}

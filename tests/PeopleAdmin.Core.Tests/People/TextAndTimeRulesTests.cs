using System.Text.Json;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// Rule 4's bounds on times and rule 5's rules for text: well-formed Unicode everywhere, readable identifiers, and
/// readers that survive whatever was stored before these rules.
/// </summary>
[BothStores]
public sealed class TextAndTimeRulesTests
{
    // The harness's clock stands at 2026-01-01T00:00:00Z.
    private const long Now = 1_767_225_600;
    private const long OneDay = 24 * 60 * 60;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string> Refused => new()
    {
        // reference, body, field, message fragment
        { "a", $$"""{"_timestamp":{{Now + OneDay + 10}}}""", "_timestamp", "more than 24 hours ahead of the server's clock" },
        { "a", """{"_timestamp":"9223372036854775807"}""", "_timestamp", "more than 24 hours ahead of the server's clock" },
        { "a", """{"_timestamp":-1}""", "_timestamp", "before 1970" },
        { "   ", "{}", "identifier", TextRules.ReasonUnreadableIdentifier },
        { "a\u200Bb", "{}", "identifier", TextRules.ReasonUnreadableIdentifier },
        { "evil\u202Egnp.exe", "{}", "identifier", TextRules.ReasonUnreadableIdentifier },
        { "tab\tinside@example.com", "{}", "identifier", TextRules.ReasonUnreadableIdentifier },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task AnIdentifyOutsideTheTimeAndTextRulesIsRefusedWhole(string reference, string body, string field, string message)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.IdentifyAsync(reference, body, Ct);

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Field.ShouldBe(field);
        result.Error.Message.ShouldContain(message);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ATimestampUpToADayAheadIsAccepted()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.IdentifyAsync("a", $$"""{"_timestamp":{{Now + OneDay}},"plan":"pro"}""", Ct);

        result.Status.ShouldBe(OperationStatus.Applied);
    }

    [Theory]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("1.7e9", 1_700_000_000)]
    public async Task AnyCreatedAtIsKeptAsSent(string json, long expected)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.IdentifyAsync("a", $$"""{"created_at":{{json}}}""", Ct);

        result.Status.ShouldBe(OperationStatus.Applied);
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.CreatedAt.ShouldBe(expected);
    }

    [Theory]
    [InlineData("email", "person\u200B@example.com")]
    [InlineData("email", "   ")]
    [InlineData("id", "line\nbreak")]
    public async Task AnUnreadableIdentifierInTheBodyIsAFailedAttributeChange(string kind, string value)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var body = new Dictionary<string, AttributeValue> { [kind] = AttributeValue.FromString(value), ["plan"] = AttributeValue.FromString("pro") };
        var reference = kind == "id" ? PersonReference.ForEmail("a@example.com") : PersonReference.ForId("a");

        var result = await harness.RunAsync(new IdentifyOperation(reference, body), Ct);

        result.Status.ShouldBe(OperationStatus.Applied);
        var person = (await harness.PeopleAsync(Ct)).ShouldHaveSingleItem();
        (kind == "id" ? person.ExternalId : person.Email).ShouldBeNull();
        var failed = (await harness.ActivityAsync(Ct)).Single(a => a.Type == ActivityTypes.FailedAttributeChange);
        failed.Data!.ShouldContain(TextRules.ReasonUnreadableIdentifier);
    }

    [Fact]
    public async Task ALoneSurrogateIsRefusedInAnAttributeNameOrValue()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var inValue = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("a"), new Dictionary<string, AttributeValue> { ["bio"] = AttributeValue.FromString("x\uD800") }), Ct);
        var inName = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("a"), new Dictionary<string, AttributeValue> { ["b\uDC00"] = AttributeValue.FromString("x") }), Ct);

        inValue.Error!.Field.ShouldBe("bio");
        inValue.Error.Message.ShouldContain("not valid Unicode");
        inName.Error!.Message.ShouldContain("not valid Unicode");
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ANulCharacterIsRefusedInAnAttributeValueAnEventNameAndAnEmailLookupFindsNobody()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var inValue = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("a"), new Dictionary<string, AttributeValue> { ["bio"] = AttributeValue.FromString("x\0y") }), Ct);
        var inEvent = await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), new EventInput("sign\0up", EventInput.EventType, null, null, null)), Ct);
        var found = await harness.Service.FindPeopleByEmailAsync(harness.WorkspaceId, "x\0y@example.com", Ct);

        inValue.Error!.Field.ShouldBe("bio");
        inValue.Error.Message.ShouldContain("NUL character");
        inEvent.Error!.Field.ShouldBe("name");
        found.ShouldBeEmpty();
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ALoneSurrogateEscapeNestedInEventDataIsRefused()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", "{}", Ct);
        using var data = JsonDocument.Parse("""{"order":{"items":[{"name":"\ud800"}]}}""");

        var result = await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), new EventInput("bought", EventInput.EventType, data.RootElement.Clone(), null, null)), Ct);

        result.Error!.Field.ShouldBe("data.order.items[0].name");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Limits.MaxUnixSeconds + 1)]
    [InlineData(99_999_999_999_999)]
    public async Task AnEventTimeOrADeviceLastUsedOutsideTheCalendarIsRefused(long seconds)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", "{}", Ct);

        var device = await harness.RunAsync(new UpsertDeviceOperation(PersonReference.ForId("a"), new DeviceInput("token", "ios", seconds, null)), Ct);
        var tracked = await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("a"), new EventInput("e", EventInput.EventType, null, seconds, null)), Ct);

        device.Error!.Field.ShouldBe("device.last_used");
        tracked.Error!.Field.ShouldBe("timestamp");
    }

    [Fact]
    public async Task StoredEventDataWithALoneSurrogateReadsBackRepaired()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", "{}", Ct);
        var person = (await harness.PeopleAsync(Ct)).Single();
        await using (var db = await harness.ContextAsync(Ct))
        {
            db.Activities.Add(new Activity
            {
                WorkspaceId = harness.WorkspaceId, PersonId = person.Id, CioId = person.CioId, Type = ActivityTypes.Event, Source = "api",
                AtMs = Now * 1000, Timestamp = Now, Name = "stored before the rule", Data = """{"bad":"x\ud800y","\udc00":"name","ok":"\ud83d\ude00"}""",
            });
            await db.SaveChangesAsync(Ct);
        }

        var page = await harness.Service.GetActivityAsync(new ActivityQuery(harness.WorkspaceId, person.CioId, null, 10, null), Ct);

        using var read = JsonDocument.Parse(page.Items[0].Data!);
        read.RootElement.GetProperty("bad").GetString().ShouldBe("x\uFFFDy");
        read.RootElement.GetProperty("\uFFFD").GetString().ShouldBe("name");
        read.RootElement.GetProperty("ok").GetString().ShouldBe("\ud83d\ude00");
    }
}

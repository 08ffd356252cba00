using System.Text.Json;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Limits, blocked values, attributes and their types, _timestamp, unsubscribed, create-only add.</summary>
[BothStores]
public sealed class IdentifyRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string> Invalid => new()
    {
        // reference, body, field, message fragment
        { new string('i', 151), "{}", "identifier", "id is 151 bytes; the limit is 150 bytes" },
        { "a", $$"""{"id":"{{new string('i', 151)}}"}""", "id", "id is 151 bytes; the limit is 150 bytes" },
        { "a", $$"""{"{{new string('n', 151)}}":"x"}""", new string('n', 151), "the attribute name is 151 bytes; the limit is 150 bytes" },
        { "a", $$"""{"bio":"{{new string('v', 1001)}}"}""", "bio", "bio is 1001 bytes; the limit is 1000 bytes" },
        { "a", "{" + string.Join(",", Enumerable.Range(0, 301).Select(i => $"\"a{i}\":1")) + "}", "attributes", "the request has 301 custom attributes; the limit is 300 per request" },
        { "null", "{}", "identifier", "\"null\" is a blocked value" },
        { "[OBJECT object]", "{}", "identifier", "is a blocked value" },
        { "a", """{"created_at":"yesterday"}""", "created_at", "created_at must be unix seconds" },
        { "a", """{"_timestamp":"soon"}""", "_timestamp", "_timestamp must be unix seconds" },
        { "a", $$"""{"tags":["{{new string('v', 997)}}"]}""", "tags", "tags is 1001 bytes; the limit is 1000 bytes" },
        { "a", """{"id":["a"]}""", "id", "id cannot be a JSON array or object" },
        { "a", """{"created_at":{"at":1}}""", "created_at", "created_at cannot be a JSON array or object" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task AnInvalidRequestIsRejectedNamingTheFieldAndTheLimitAndAppliesNothing(string reference, string body, string field, string message)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.IdentifyAsync(reference, body, Ct);

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Kind.ShouldBe(ErrorKind.Invalid);
        result.Error.Field.ShouldBe(field);
        result.Error.Message.ShouldContain(message);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
        (await harness.ActivityAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task APathIdStartingWithCioPrefixIsRejected()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new IdentifyOperation(PersonReference.ForId("cio_abc"), new Dictionary<string, AttributeValue>()), Ct);

        result.Error!.Message.ShouldContain("may not start with \"cio_\"");
    }

    [Fact]
    public void TheStaticValidatorAnswersWhatTheServiceEnforces()
    {
        var operation = new IdentifyOperation(PersonReference.ForId(new string('x', 151)), new Dictionary<string, AttributeValue>());

        var error = OperationValidator.Validate(operation);

        error!.Message.ShouldBe("id is 151 bytes; the limit is 150 bytes");
    }

    [Fact]
    public async Task AnAttributeThatWouldTakeAPersonOverThreeHundredIsRejectedWhole()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var first = "{" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"a{i}\":1")) + "}";
        (await harness.IdentifyAsync("a", first, Ct)).Status.ShouldBe(OperationStatus.Applied);

        var result = await harness.IdentifyAsync("a", """{"one_more":1,"a0":2}""", Ct);

        result.Error!.Message.ShouldBe("the person would have 301 custom attributes; the limit is 300 per person");
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.Attributes.Single(a => a.Name == "a0").Value.ShouldBe("1");
    }

    [Fact]
    public async Task CioRelationshipsAmongTheAttributesAreRefusedAndNothingApplies()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(
            new IdentifyOperation(PersonReference.ForId("a"), PeopleHarness.Body("""{"plan":"pro","cio_relationships":{"action":"add_relationships"}}""")), Ct);

        result.Error!.Kind.ShouldBe(ErrorKind.Invalid);
        result.Error.Field.ShouldBe("cio_relationships");
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AttributesKeepTheirTypesAndNullOrEmptyRemovesThem()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"name":"Ann","age":41,"vip":true,"gone":"x","empty":"y"}""", Ct);

        await harness.IdentifyAsync("a", """{"gone":null,"empty":""}""", Ct);

        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.Attributes.Select(a => (a.Name, a.Type, a.Value)).ShouldBe(
            [("age", AttributeType.Number, "41"), ("name", AttributeType.String, "Ann"), ("vip", AttributeType.Boolean, "true")]);
    }

    [Fact]
    public async Task ArraysAndObjectsAreKeptAsCompactJsonTextOfTheirOwnType()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.IdentifyAsync("a", """{"tags": ["a", "b"], "address": {"city": "Paris", "lines": [{"n": 1}], "note": "café"}}""", Ct);

        result.Status.ShouldBe(OperationStatus.Applied);
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.Attributes.Select(a => (a.Name, a.Type, a.Value)).ShouldBe(
        [
            ("address", AttributeType.Json, """{"city":"Paris","lines":[{"n":1}],"note":"café"}"""),
            ("tags", AttributeType.Json, """["a","b"]"""),
        ]);
    }

    [Fact]
    public async Task AJsonValueReplacesAndIsReplacedByAPlainOne()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"tags":"a","plan":["pro"]}""", Ct);

        await harness.IdentifyAsync("a", """{"tags":["a"],"plan":"pro"}""", Ct);

        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.Attributes.Select(a => (a.Name, a.Type, a.Value)).ShouldBe([("plan", AttributeType.String, "pro"), ("tags", AttributeType.Json, """["a"]""")]);
    }

    [Fact]
    public async Task AttributeNamesAreCaseSensitive()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        await harness.IdentifyAsync("a", """{"Plan":"a","plan":"b"}""", Ct);

        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.Attributes.Select(a => a.Name).ShouldBe(["Plan", "plan"], ignoreOrder: true);
    }

    [Fact]
    public async Task AnOlderTimestampIsSkippedAndLoggedAndANewerOneApplies()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"plan":"b","_timestamp":1767225600}""", Ct);

        var older = await harness.IdentifyAsync("a", """{"plan":"a","email":"a@x.com","_timestamp":1767000000}""", Ct);
        var newer = await harness.IdentifyAsync("a", """{"plan":"c","_timestamp":1767225601}""", Ct);

        older.SkippedUpdates.ShouldBe(["plan"]);
        newer.SkippedUpdates.ShouldBeEmpty();
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        person!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("c");
        person.Email.ShouldBe("a@x.com");
        (await harness.ActivityAsync(Ct)).ShouldContain(e => e.Type == ActivityTypes.SkippedUpdate && e.Data!.Contains("\"plan\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdentifierChangedByANewerTimestampIsNotOverwrittenByAnOlderOne()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var created = await harness.IdentifyAsync("a", """{"email":"new@x.com","_timestamp":1767225600}""", Ct);

        var older = await harness.IdentifyAsync("cio_" + created.CioId, """{"email":"old@x.com","_timestamp":1767000000}""", Ct);

        older.SkippedUpdates.ShouldBe(["email"]);
        (await harness.PeopleAsync(Ct)).Single().Email.ShouldBe("new@x.com");
    }

    [Fact]
    public async Task CreatedAtAndUnsubscribedSetByANewerTimestampAreNotOverwrittenByAnOlderOne()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"created_at":1700000000,"unsubscribed":true,"_timestamp":1767225600}""", Ct);

        var older = await harness.IdentifyAsync("a", """{"created_at":1600000000,"unsubscribed":false,"plan":"x","_timestamp":1767000000}""", Ct);

        older.SkippedUpdates.ShouldBe(["created_at", "unsubscribed"], ignoreOrder: true);
        var person = (await harness.PeopleAsync(Ct)).Single();
        person.CreatedAt.ShouldBe(1700000000);
        person.Unsubscribed.ShouldBeTrue();
        (await harness.ActivityAsync(Ct)).ShouldContain(e => e.Type == ActivityTypes.SkippedUpdate && e.Data!.Contains("\"created_at\"", StringComparison.Ordinal));

        var newer = await harness.IdentifyAsync("a", """{"unsubscribed":false,"_timestamp":1767225601}""", Ct);

        newer.SkippedUpdates.ShouldBeEmpty();
        (await harness.PeopleAsync(Ct)).Single().Unsubscribed.ShouldBeFalse();
    }

    [Fact]
    public async Task CreatedAtChangedOnAnExistingPersonKeepsTheTimeOfItsChange()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"plan":"x"}""", Ct);
        await harness.IdentifyAsync("a", """{"created_at":1700000000,"unsubscribed":"TRUE","_timestamp":1767229200}""", Ct);

        var older = await harness.IdentifyAsync("a", """{"created_at":1600000000,"unsubscribed":0,"_timestamp":1767229199}""", Ct);
        var untimed = await harness.IdentifyAsync("a", """{"created_at":1650000000}""", Ct);

        older.SkippedUpdates.ShouldBe(["created_at", "unsubscribed"], ignoreOrder: true);
        untimed.SkippedUpdates.ShouldBe(["created_at"]);
        var person = (await harness.PeopleAsync(Ct)).Single();
        person.CreatedAt.ShouldBe(1700000000);
        person.Unsubscribed.ShouldBeTrue();
    }

    public static TheoryData<string, bool> Unsubscribed => new()
    {
        { "true", true }, { "\"TRUE\"", true }, { "\"True\"", true }, { "1", true }, { "\"1\"", true },
        { "false", false }, { "0", false }, { "\"yes\"", false }, { "null", false },
    };

    [Theory]
    [MemberData(nameof(Unsubscribed))]
    public async Task UnsubscribedIsTrueForAnyCaseOfTrueAndForOne(string json, bool expected)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        await harness.IdentifyAsync("a", $$"""{"unsubscribed":{{json}}}""", Ct);

        (await harness.PeopleAsync(Ct)).Single().Unsubscribed.ShouldBe(expected);
    }

    [Fact]
    public async Task CreatedAtIsTheClientsValueWhenSentAndTheCreationTimeHereOtherwise()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        await harness.IdentifyAsync("a", """{"created_at":1500000000}""", Ct);
        await harness.IdentifyAsync("b", "{}", Ct);

        var people = await harness.PeopleAsync(Ct);
        people[0].CreatedAt.ShouldBe(1500000000);
        people[1].CreatedAt.ShouldBe(people[1].FirstSeenMs / 1000);
        people[0].FirstSeenMs.ShouldBeLessThan(people[1].FirstSeenMs);
    }

    [Fact]
    public async Task CioIdsAreShortLowerCaseAndNeverReused()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await harness.IdentifyAsync("p" + i, "{}", Ct)).CioId!);
        }

        ids.ShouldBeUnique();
        ids.ShouldAllBe(id => id.Length <= 8 && id.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)));
    }

    [Fact]
    public async Task AddPersonCreatesWithTheGivenIdentifiersAndAttributes()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new AddPersonOperation("a", "A@x.com", PeopleHarness.Body("""{"plan":"pro"}""")), Ct, Sources.Ui);

        result.Created.ShouldBeTrue();
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("a@X.com"), Ct);
        person!.Id.ShouldBe("a");
        person.Attributes.Single().Value.ShouldBe("pro");
    }

    [Fact]
    public async Task AddPersonNeverUpdatesSomeoneElseAndSaysWhoHoldsTheIdentifier()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var holder = await harness.IdentifyAsync("taken@x.com", "{}", Ct);

        var result = await harness.RunAsync(new AddPersonOperation("new", "TAKEN@x.com", PeopleHarness.Body("""{"plan":"pro"}""")), Ct, Sources.Ui);

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        result.Error.Conflicts.Single().CioId.ShouldBe(holder.CioId);
        result.Error.Message.ShouldContain($"cio_{holder.CioId} already has this email");
        (await harness.PeopleAsync(Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task AddPersonRefusesASuppressedIdentifier()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.SuppressDirectlyAsync(IdentifierKind.Id, "gone", Ct);

        var result = await harness.RunAsync(new AddPersonOperation("gone", null, new Dictionary<string, AttributeValue>()), Ct, Sources.Ui);

        result.Error!.Conflicts.Single().Reason.ShouldBe("the identifier is suppressed");
    }

    [Fact]
    public async Task AddPersonInAnIdOnlyWorkspaceNeedsAnId()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = IdentifierMode.IdOnly);

        var result = await harness.RunAsync(new AddPersonOperation(null, "a@x.com", new Dictionary<string, AttributeValue>()), Ct, Sources.Ui);

        result.Error!.Message.ShouldBe("an id is required: this workspace identifies people by id only");
    }

    [Fact]
    public async Task TheDatabaseRefusesTwoPeopleWithTheSameEmailInEmailOrId()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a@x.com", "{}", Ct);
        await using var db = await harness.ContextAsync(Ct);

        db.People.Add(new Person { WorkspaceId = harness.WorkspaceId, CioId = "zz", Email = "A@x.com", EmailNormalized = "a@x.com", EmailIsIdentifier = true });

        await Should.ThrowAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task ReadingAPersonReturnsIdentifiersTimesAndAttributeSetTimes()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"email":"a@x.com","plan":"pro","_timestamp":1700000000}""", Ct);

        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);

        person!.Email.ShouldBe("a@x.com");
        person.FirstSeen.ShouldBe(harness.Clock.GetUtcNow());
        var plan = person.Attributes.Single();
        plan.Timestamp.ShouldBe(1700000000);
        plan.SetAt.ShouldBe(harness.Clock.GetUtcNow());
        (await harness.Service.FindPeopleByEmailAsync(harness.WorkspaceId, " A@X.COM ", Ct)).Single().Id.ShouldBe("a");
        JsonSerializer.Serialize(person).ShouldNotBeEmpty();
    }
}

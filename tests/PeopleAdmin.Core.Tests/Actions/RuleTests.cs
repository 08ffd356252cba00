using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Actions;

/// <summary>Create-or-update rules (identity-rules.md, the action row): what triggers them, whom they write, and how they fail.</summary>
[BothStores]
public sealed class RuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RuleDefinition OnEvent(string name, params (string Name, string Template)[] attributes) =>
        new("rule on " + name, name, null, null, null, attributes.ToDictionary(a => a.Name, a => a.Template));

    private static async Task<RuleDetails> CreateAsync(PeopleHarness harness, RuleDefinition definition)
    {
        var (rule, error) = await harness.RulesService.CreateAsync(harness.WorkspaceId, definition, Ct);
        error.ShouldBeNull();
        return rule!;
    }

    private static async Task<OperationResult> TrackAsync(PeopleHarness harness, string reference, string name, string data, string source = Sources.Api)
    {
        var result = await harness.RunAsync(new TrackEventOperation(harness.Reference(reference), new EventInput(name, EventInput.EventType, JsonDocument.Parse(data).RootElement, null, null)), Ct, source);
        result.Status.ShouldBe(OperationStatus.Applied);
        await harness.Rules.DrainAsync(Ct);
        return result;
    }

    private static async Task<RuleRunDetails> OnlyRunAsync(PeopleHarness harness, RuleDetails rule) =>
        (await harness.RulesService.RunsAsync(harness.WorkspaceId, rule.Id, Ct)).ShouldHaveSingleItem();

    private static async Task<Dictionary<string, string>> AttributesAsync(PeopleHarness harness, string reference)
    {
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, harness.Reference(reference), Ct);
        person.ShouldNotBeNull();
        return person.Attributes.ToDictionary(a => a.Name, a => a.Value);
    }

    [Fact]
    public async Task AnEventTriggeredRuleSetsAnAttributeOfTheEventsPersonFromTheEventData()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("upgraded", ("plan", "{{ event.data.plan }}")));

        // Act
        await TrackAsync(harness, "u1", "upgraded", """{"plan":"pro"}""");

        // Assert
        (await AttributesAsync(harness, "u1"))["plan"].ShouldBe("pro");
        var run = await OnlyRunAsync(harness, rule);
        run.Status.ShouldBe(RuleRunStatus.Applied);
        run.Trigger.ShouldBe("event \"upgraded\" from api");
        var change = (await harness.ActivityAsync(Ct)).Last();
        (change.Type, change.Source, change.Actor).ShouldBe((ActivityTypes.AttributeChange, Sources.Action, "rule on upgraded"));
    }

    [Fact]
    public async Task TheSeedsLeadIdentifiedByEmailBecomesACustomerWhenTheEventCarryingTheNewIdArrives()
    {
        // Arrange: a lead known by email only; the rule assigns the person's id from the conversion event.
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("lead@example.com", """{"stage":"lead"}""", Ct);
        await CreateAsync(harness, OnEvent("converted", ("id", "{{ event.data.customer_id }}"), ("stage", "customer")));

        // Act
        var tracked = await TrackAsync(harness, "lead@example.com", "converted", """{"customer_id":"cust-42"}""");

        // Assert
        var person = (await harness.PeopleAsync(Ct)).ShouldHaveSingleItem();
        (person.CioId, person.ExternalId, person.Email).ShouldBe((tracked.CioId, "cust-42", "lead@example.com"));
        (await AttributesAsync(harness, "cust-42"))["stage"].ShouldBe("customer");
    }

    [Fact]
    public async Task AWebhookRuleCreatesThePersonItsBodyNamesWhenNobodyHoldsTheIdentifier()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, new RuleDefinition("signup hook", null, null, "email", "{{ webhook.user.email }}", new Dictionary<string, string> { ["first_name"] = "{{ webhook.user.name }}" }));

        // Act
        harness.Rules.EnqueueWebhook(harness.WorkspaceId, rule.Id, JsonNode.Parse("""{"user":{"email":"new@example.com","name":"Nia"}}""")!).ShouldBeTrue();
        await harness.Rules.DrainAsync(Ct);

        // Assert
        rule.WebhookToken.ShouldNotBeNullOrEmpty();
        (await AttributesAsync(harness, "new@example.com"))["first_name"].ShouldBe("Nia");
        var run = await OnlyRunAsync(harness, rule);
        (run.Status, run.Trigger).ShouldBe((RuleRunStatus.Applied, "webhook"));
    }

    [Fact]
    public async Task ARuleTargetingAnIdentifierFromTheEventUpdatesThePersonWhoHoldsItNotTheEventsPerson()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("referrer", "{}", Ct);
        await CreateAsync(harness, new RuleDefinition("credit referrer", "referred", null, "id", "{{ event.data.by }}", new Dictionary<string, string> { ["last_referral"] = "{{ customer.id }}" }));

        // Act: the template's customer is the person the target names.
        await TrackAsync(harness, "newcomer", "referred", """{"by":"referrer"}""");

        // Assert
        (await AttributesAsync(harness, "referrer"))["last_referral"].ShouldBe("referrer");
        (await AttributesAsync(harness, "newcomer")).ShouldNotContainKey("last_referral");
    }

    [Fact]
    public async Task TemplatesSeeTheEventsNameAndDataAndThePersonsProfile()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("u1", """{"first_name":"Ann","visits":3}""", Ct);
        await CreateAsync(harness, OnEvent("bought", ("summary", "{{ customer.first_name }} {{ event.name }} {{ event.data.item }} after {{ customer.visits | plus: 1 }} visits")));

        // Act
        await TrackAsync(harness, "u1", "bought", """{"item":"a hat"}""");

        // Assert
        (await AttributesAsync(harness, "u1"))["summary"].ShouldBe("Ann bought a hat after 4 visits");
    }

    [Fact]
    public async Task ATemplateThatFailsWhileRenderingRecordsWhyAndWritesNothingWhileTheEventStays()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("upgraded", ("plan", "{{ event.data.plan }}"), ("share", "{{ 10 | divided_by: event.data.seats }}")));

        // Act
        await TrackAsync(harness, "u1", "upgraded", """{"plan":"pro","seats":0}""");

        // Assert
        var run = await OnlyRunAsync(harness, rule);
        run.Status.ShouldBe(RuleRunStatus.Failed);
        run.Reason.ShouldStartWith("attributes.share: the template failed");
        (await AttributesAsync(harness, "u1")).ShouldBeEmpty();
        (await harness.ActivityAsync(Ct)).ShouldContain(a => a.Type == ActivityTypes.Event && a.Name == "upgraded");
    }

    [Fact]
    public async Task ATemplateThatTriesToLoopForeverIsStoppedByTheStepLimit()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("upgraded", ("plan", "{% for i in (1..2000000000) %}{% endfor %}pro")));

        // Act
        await TrackAsync(harness, "u1", "upgraded", "{}");

        // Assert
        var run = await OnlyRunAsync(harness, rule);
        run.Status.ShouldBe(RuleRunStatus.Failed);
        run.Reason!.ShouldContain("steps");
    }

    [Fact]
    public async Task ATemplateThatRendersTooMuchFailsInsteadOfFillingTheMemory()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("upgraded", ("plan", "{% for i in (1..5000) %}xx{% endfor %}")));

        // Act
        await TrackAsync(harness, "u1", "upgraded", "{}");

        // Assert
        (await OnlyRunAsync(harness, rule)).Reason.ShouldBe($"attributes.plan: the template rendered more than {RuleTemplates.MaxOutputChars} characters");
    }

    [Fact]
    public async Task AnInvalidIdentifierFailsTheRunWithTheIdentityServicesReason()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, new RuleDefinition("by id", "upgraded", null, "id", "{{ event.data.account }}", new Dictionary<string, string> { ["plan"] = "pro" }));

        // Act
        await TrackAsync(harness, "u1", "upgraded", $$"""{"account":"{{new string('x', 200)}}"}""");

        // Assert
        var run = await OnlyRunAsync(harness, rule);
        run.Status.ShouldBe(RuleRunStatus.Failed);
        run.Reason!.ShouldContain("150");
        (await harness.PeopleAsync(Ct)).ShouldHaveSingleItem().ExternalId.ShouldBe("u1");
    }

    [Fact]
    public async Task AnEventFromTheSnippetDoesNotTriggerARuleThatKeepsTheDefaultSources()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("upgraded", ("plan", "{{ event.data.plan }}")));

        // Act
        await TrackAsync(harness, "u1", "upgraded", """{"plan":"pro"}""", Sources.Snippet);

        // Assert
        (await harness.RulesService.RunsAsync(harness.WorkspaceId, rule.Id, Ct)).ShouldBeEmpty();
        (await AttributesAsync(harness, "u1")).ShouldNotContainKey("plan");
    }

    [Fact]
    public async Task ARuleTheSnippetMayTriggerActsAsAPublicSourceAndNeverChangesAnIdentifierOfSomeoneWhoExists()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("upgraded", ("plan", "{{ event.data.plan }}"), ("email", "{{ event.data.email }}")) with { Sources = [Sources.Snippet] });

        // Act
        await TrackAsync(harness, "u1", "upgraded", """{"plan":"pro","email":"taken@example.com"}""", Sources.Snippet);

        // Assert
        (await AttributesAsync(harness, "u1"))["plan"].ShouldBe("pro");
        (await harness.PeopleAsync(Ct)).ShouldHaveSingleItem().Email.ShouldBeNull();
        var run = await OnlyRunAsync(harness, rule);
        run.Status.ShouldBe(RuleRunStatus.Partial);
        run.Reason!.ShouldContain("a public source never adds or changes an identifier");
    }

    [Fact]
    public async Task AnEventNoRuleNamesQueuesNothingOnceTheWorkspacesTriggersAreCached()
    {
        // Arrange: the first event reads the workspace's triggers in the background.
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await CreateAsync(harness, OnEvent("upgraded", ("plan", "pro")));
        await TrackAsync(harness, "u1", "viewed", "{}");

        // Act
        await harness.RunAsync(new TrackEventOperation(harness.Reference("u1"), new EventInput("viewed", EventInput.EventType, null, null, null)), Ct);

        // Assert
        harness.Rules.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task OnceTheCachedTriggersAreStaleOneEventHasTheRunnerReadThemAgainAndTheNextAreFilteredMeanwhile()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await CreateAsync(harness, OnEvent("upgraded", ("plan", "pro")));
        await TrackAsync(harness, "u1", "viewed", "{}");
        harness.Clock.Advance(RuleEngine.TriggersLifetime);

        // Act
        await harness.RunAsync(new TrackEventOperation(harness.Reference("u1"), new EventInput("viewed", EventInput.EventType, null, null, null)), Ct);
        await harness.RunAsync(new TrackEventOperation(harness.Reference("u1"), new EventInput("viewed", EventInput.EventType, null, null, null)), Ct);

        // Assert
        harness.Rules.Pending.ShouldBe(1);
    }

    [Fact]
    public async Task AnAnonymousEventGivesARuleTargetingTheEventsPersonNobodyAndTheRunSaysSo()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("viewed", ("seen", "yes")));

        // Act
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", new EventInput("viewed", EventInput.EventType, null, null, null)), Ct);
        await harness.Rules.DrainAsync(Ct);

        // Assert
        (await OnlyRunAsync(harness, rule)).Reason.ShouldBe(RuleRun.NoPerson);
    }

    [Fact]
    public async Task TheHistoryKeepsTheNewestRunsOfARule()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, OnEvent("tick", ("n", "{{ event.data.n }}")));

        // Act
        for (var n = 1; n <= RuleRunHistory.Kept + 3; n++)
        {
            await TrackAsync(harness, "u1", "tick", $$"""{"n":{{n}}}""");
        }

        // Assert
        await using var db = await harness.ContextAsync(Ct);
        (await db.ActionRuleRuns.CountAsync(r => r.RuleId == rule.Id, Ct)).ShouldBe(RuleRunHistory.Kept);
        (await AttributesAsync(harness, "u1"))["n"].ShouldBe((RuleRunHistory.Kept + 3).ToString());
    }

    [Theory]
    [InlineData("", "upgraded", "name", "a rule needs a name")]
    [InlineData("r", "upgraded", "attributes.plan", "is not a valid Liquid template")]
    [InlineData("r", null, "target", "a webhook has no person of its own")]
    public async Task SavingARuleRefusesWhatIsWrongNamingTheField(string name, string? eventName, string field, string message)
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        // Act
        var (rule, error) = await harness.RulesService.CreateAsync(harness.WorkspaceId, new RuleDefinition(name, eventName, null, null, null, new Dictionary<string, string> { ["plan"] = "{% if %}" }), Ct);

        // Assert
        rule.ShouldBeNull();
        error!.Field.ShouldBe(field);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public async Task RotatingAWebhooksTokenRetiresTheOldOne()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var rule = await CreateAsync(harness, new RuleDefinition("hook", null, null, "id", "{{ webhook.id }}", new Dictionary<string, string> { ["a"] = "b" }));

        // Act
        (await harness.RulesService.RotateWebhookTokenAsync(harness.WorkspaceId, rule.Id, Ct)).ShouldBeTrue();

        // Assert
        (await harness.RulesService.FindWebhookAsync(rule.WebhookToken!, Ct)).ShouldBeNull();
        var rotated = await harness.RulesService.GetAsync(harness.WorkspaceId, rule.Id, Ct);
        (await harness.RulesService.FindWebhookAsync(rotated!.WebhookToken!, Ct)).ShouldBe((harness.WorkspaceId, rule.Id));
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Rules;

/// <summary>Rules over HTTP: created by the management API, run by the hosted runner after Track events and webhook calls.</summary>
public sealed class RulesApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory()
            .With("PeopleAdmin:PublicBaseUrl", "https://people.example.com")
            .With("PeopleAdmin:Rules:WebhookCallsPerMinute", "3");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<int> WorkspaceIdAsync() =>
        (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;

    private async Task<HttpResponseMessage> CreateRuleAsync(string json)
    {
        using var admin = _factory.AdminClient();
        return await admin.PostAsync(new Uri($"/api/admin/v1/workspaces/{await WorkspaceIdAsync()}/rules", UriKind.Relative), Json(json), Ct);
    }

    /// <summary>Waits for the hosted runner's next recorded run (the signal, not a clock, ends the wait).</summary>
    private Task<ActionRuleRun> NextRunAsync()
    {
        var engine = _factory.Services.GetRequiredService<RuleEngine>();
        var recorded = new TaskCompletionSource<ActionRuleRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRun(ActionRuleRun run)
        {
            engine.RunRecorded -= OnRun;
            recorded.TrySetResult(run);
        }

        engine.RunRecorded += OnRun;
        return recorded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task AnUpgradedEventSentThroughTheTrackApiSetsThePlanThroughARuleCreatedByTheManagementApi()
    {
        // Arrange
        using var created = await CreateRuleAsync("""{"name": "plan from upgrades", "trigger": {"event": "upgraded"}, "target": {"person": "event"}, "attributes": {"plan": "{{ event.data.plan }}"}}""");
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await created.ReadJsonAsync();
        body.GetProperty("rule_id").GetInt64().ShouldBeGreaterThan(0);
        (body.TryGetProperty("webhook_url", out var url) && url.ValueKind != System.Text.Json.JsonValueKind.Null).ShouldBeFalse();
        using var track = _factory.TrackClient();
        var run = NextRunAsync();

        // Act
        using var sent = await track.PostAsync(new Uri("/api/v1/customers/u1/events", UriKind.Relative), Json("""{"name": "upgraded", "data": {"plan": "pro"}}"""), Ct);

        // Assert
        sent.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await run).Status.ShouldBe(RuleRunStatus.Applied);
        var person = await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(await WorkspaceIdAsync(), PersonReference.ForId("u1"), Ct);
        person!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public async Task AWebhookRulesUrlIsBuiltOnThePublicAddressAndACallWithAnyJsonCreatesThePerson()
    {
        // Arrange
        using var created = await CreateRuleAsync("""{"name": "signups", "trigger": {"webhook": true}, "target": {"identifier": "email", "value": "{{ webhook.email }}"}, "attributes": {"source": "landing page"}}""");
        var url = (await created.ReadJsonAsync()).GetProperty("webhook_url").GetString()!;
        url.ShouldStartWith("https://people.example.com/api/v1/webhooks/");
        using var client = _factory.CreateClient();
        var run = NextRunAsync();

        // Act
        using var called = await client.PostAsync(new Uri(new Uri(url).AbsolutePath, UriKind.Relative), Json("""{"email": "hook@example.com"}"""), Ct);

        // Assert
        called.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await called.Content.ReadAsStringAsync(Ct)).ShouldBe("{}");
        (await run).Status.ShouldBe(RuleRunStatus.Applied);
        var person = await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(await WorkspaceIdAsync(), PersonReference.ForEmail("hook@example.com"), Ct);
        person!.Attributes.Single(a => a.Name == "source").Value.ShouldBe("landing page");
    }

    [Fact]
    public async Task AnUnknownTokenIsA404AndABodyOver32KbIsA413AndTooManyCallsAre429()
    {
        // Arrange
        using var created = await CreateRuleAsync("""{"name": "hook", "trigger": {"webhook": true}, "target": {"identifier": "id", "value": "{{ webhook.id }}"}, "attributes": {"a": "b"}}""");
        var path = new Uri((await created.ReadJsonAsync()).GetProperty("webhook_url").GetString()!).AbsolutePath;
        using var client = _factory.CreateClient();

        // Act
        using var unknown = await client.PostAsync(new Uri("/api/v1/webhooks/not-a-token", UriKind.Relative), Json("{}"), Ct);
        using var tooLarge = await client.PostAsync(new Uri(path, UriKind.Relative), Json($$"""{"id": "{{new string('x', 33 * 1024)}}"}"""), Ct);
        using var second = await client.PostAsync(new Uri(path, UriKind.Relative), Json("""{"id": "1"}"""), Ct);
        using var third = await client.PostAsync(new Uri(path, UriKind.Relative), Json("""{"id": "2"}"""), Ct);
        using var fourth = await client.PostAsync(new Uri(path, UriKind.Relative), Json("""{"id": "3"}"""), Ct);

        // Assert
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (second.StatusCode, third.StatusCode, fourth.StatusCode).ShouldBe((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests));
        fourth.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("""{"name": "r", "target": {"person": "event"}, "attributes": {"a": "b"}}""", "trigger")]
    [InlineData("""{"name": "r", "trigger": {"event": "e", "sources": ["fax"]}, "target": {"person": "event"}, "attributes": {"a": "b"}}""", "trigger.sources")]
    [InlineData("""{"name": "r", "trigger": {"event": "e"}, "target": {"person": "event"}, "attributes": {"a": "{{ oops"}}""", "attributes.a")]
    [InlineData("""{"name": "r", "trigger": {"webhook": true}, "target": {"person": "event"}, "attributes": {"a": "b"}}""", "target")]
    public async Task ARuleThatCannotWorkIsA400NamingTheField(string json, string field)
    {
        // Act
        using var response = await CreateRuleAsync(json);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe(field);
    }
}

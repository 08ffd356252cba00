using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.LeadAds;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.LeadAds;

/// <summary>
/// Facebook Lead Ads end to end: the connection through the management API, Meta's handshake and signed
/// <c>leadgen</c> notifications on the webhook, and each lead read from a local Graph stand-in and applied.
/// </summary>
[BothStores]
public sealed class LeadAdsWebhookTests : IAsyncLifetime
{
    private const string AppSecret = "app-secret-0123456789abcdef";
    private const string VerifyToken = "verify-me-please";
    private const string PageId = "109876543210987";
    private const string PageToken = "EAAPageToken123";
    private const string WebhookPath = $"/integrations/facebook/{SiteId}/webhook";

    private GraphStandIn _graph = null!;
    private PeopleAdminFactory _factory = null!;
    private HttpClient _client = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _graph = await GraphStandIn.StartAsync();
        _factory = CreateFactory()
            .With("PeopleAdmin:FacebookLeadAds:GraphBaseUrl", _graph.BaseUrl)
            .With("PeopleAdmin:FacebookLeadAds:FetchInBackground", "false")
            .With("PeopleAdmin:FacebookLeadAds:RetryDelay", "00:00:00")
            .With("PeopleAdmin:FacebookLeadAds:MaxAttempts", "3");
        _client = _factory.CreateClient();
        _admin = _factory.AdminClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _admin.Dispose();
        await _factory.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task<int> WorkspaceIdAsync() =>
        (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;

    private async Task ConnectAsync(string extra = "")
    {
        var body = $$"""{"app_secret": "{{AppSecret}}", "verify_token": "{{VerifyToken}}", "pages": [{"page_id": "{{PageId}}", "access_token": "{{PageToken}}"}]{{extra}}}""";
        using var response = await _admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{await WorkspaceIdAsync()}/lead-ads", UriKind.Relative), Json(body), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Meta's sample <c>leadgen</c> notification.</summary>
    private static string Notification(string leadgenId, string formId = "444444444444", string adId = "555555555555") =>
        $$$"""{"object":"page","entry":[{"id":"{{{PageId}}}","time":1765015200,"changes":[{"field":"leadgen","value":{"ad_id":"{{{adId}}}","form_id":"{{{formId}}}","leadgen_id":"{{{leadgenId}}}","created_time":1765015200,"page_id":"{{{PageId}}}","adgroup_id":"{{{adId}}}"}}]}]}""";

    private static string Sign(string body, string secret = AppSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task<HttpResponseMessage> NotifyAsync(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = Json(body) };
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await _client.SendAsync(request, Ct);
    }

    private Task<int> ProcessAsync() => _factory.Services.GetRequiredService<LeadProcessor>().ProcessDueAsync(Ct);

    private async Task<List<ReceivedLead>> LeadsAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        return await db.ReceivedLeads.AsNoTracking().OrderBy(l => l.Id).ToListAsync(Ct);
    }

    private async Task<PersonDetails?> PersonAsync(string email) =>
        await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(await WorkspaceIdAsync(), PersonReference.ForEmail(email), Ct);

    [Fact]
    public async Task TheHandshakeEchoesTheChallengeWhenTheVerifyTokenIsTheConnections()
    {
        await ConnectAsync();

        using var response = await _client.GetAsync(new Uri($"{WebhookPath}?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=1158201444", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("1158201444");
    }

    [Theory]
    [InlineData("hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")]
    [InlineData("hub.mode=unsubscribe&hub.verify_token=" + VerifyToken + "&hub.challenge=1")]
    [InlineData("hub.challenge=1")]
    public async Task AHandshakeWithAWrongVerifyTokenOrModeIsRefusedWith403(string query)
    {
        await ConnectAsync();

        using var response = await _client.GetAsync(new Uri($"{WebhookPath}?{query}", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("\"1\"");
    }

    [Fact]
    public async Task AWorkspaceWithoutAConnectionAnswers404()
    {
        using var response = await _client.GetAsync(new Uri($"{WebhookPath}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AValidlySignedLeadBecomesAPersonWithSourceLeadAdAndALeadAdSubmitEvent()
    {
        await ConnectAsync();
        _graph.AddLead("900000000000001", "444444444444", "555555555555", ("email", "ann@example.com"), ("full_name", "Ann Lee"));
        var body = Notification("900000000000001");

        using var response = await NotifyAsync(body, Sign(body));
        var applied = await ProcessAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        applied.ShouldBe(1);
        _graph.Requests.ShouldBe([$"/{LeadAdsService.DefaultGraphVersion}/900000000000001?access_token={PageToken}"]);
        var person = await PersonAsync("ann@example.com");
        person.ShouldNotBeNull();
        person.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["full_name=Ann Lee"]);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        var sources = await db.Activities.AsNoTracking().Where(a => a.CioId == person.CioId).Select(a => a.Source).Distinct().ToListAsync(Ct);
        sources.ShouldBe([Sources.LeadAd]);
        var submitted = await db.Activities.AsNoTracking().SingleAsync(a => a.Name == SubmitLeadOperation.EventName, Ct);
        using var data = JsonDocument.Parse(submitted.Data!);
        (data.RootElement.GetProperty("leadgen_id").GetString(), data.RootElement.GetProperty("form_id").GetString(), data.RootElement.GetProperty("ad_id").GetString())
            .ShouldBe(("900000000000001", "444444444444", "555555555555"));
        var lead = (await LeadsAsync()).Single();
        (lead.State, lead.CioId, lead.Attempts).ShouldBe((LeadState.Applied, person.CioId, 1));
    }

    [Theory]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256=not-hex")]
    [InlineData("sha1=0000000000000000000000000000000000000000")]
    [InlineData("")]
    [InlineData(null)]
    public async Task AForgedOrMissingSignatureIsRefusedWith401AndKeepsNothing(string? signature)
    {
        await ConnectAsync();
        var body = Notification("900000000000002");

        using var response = await NotifyAsync(body, signature);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LeadsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ABodySignedWithAnotherSecretOrChangedAfterSigningIsRefused()
    {
        await ConnectAsync();
        var body = Notification("900000000000003");

        using var otherSecret = await NotifyAsync(body, Sign(body, "someone-elses-secret"));
        using var tampered = await NotifyAsync(body.Replace("900000000000003", "900000000000004", StringComparison.Ordinal), Sign(body));

        otherSecret.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        tampered.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LeadsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ADuplicateLeadgenIdIsKeptAndReadOnce()
    {
        await ConnectAsync();
        _graph.AddLead("900000000000005", "444444444444", "555555555555", ("email", "bob@example.com"));
        var body = Notification("900000000000005");

        using var first = await NotifyAsync(body, Sign(body));
        await ProcessAsync();
        using var retried = await NotifyAsync(body, Sign(body));
        await ProcessAsync();

        (first.StatusCode, retried.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
        (await LeadsAsync()).Count.ShouldBe(1);
        _graph.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AGraphFailureIsRetriedAndTheLeadAppliedWhenTheGraphAnswers()
    {
        await ConnectAsync();
        _graph.AddLead("900000000000006", "444444444444", "555555555555", ("email", "cat@example.com"));
        _graph.FailNext("900000000000006", 500, GraphStandIn.ServiceError);
        var body = Notification("900000000000006");
        using var response = await NotifyAsync(body, Sign(body));

        var firstRun = await ProcessAsync();
        var afterFailure = (await LeadsAsync()).Single();
        var secondRun = await ProcessAsync();

        (firstRun, afterFailure.State, afterFailure.Attempts).ShouldBe((0, LeadState.Waiting, 1));
        afterFailure.Error.ShouldBe("the Graph API answered 500: An unexpected error has occurred. Please retry your request later. (code 2)");
        secondRun.ShouldBe(1);
        (await LeadsAsync()).Single().State.ShouldBe(LeadState.Applied);
        (await PersonAsync("cat@example.com")).ShouldNotBeNull();
    }

    [Fact]
    public async Task ALeadThatKeepsFailingIsMarkedFailedAfterTheLastAttempt()
    {
        await ConnectAsync();
        var body = Notification("900000000000007");
        using var response = await NotifyAsync(body, Sign(body));

        for (var run = 0; run < 4; run++)
        {
            await ProcessAsync();
        }

        var lead = (await LeadsAsync()).Single();
        (lead.State, lead.Attempts).ShouldBe((LeadState.Failed, 3));
        lead.Error.ShouldEndWith("(gave up after 3 attempts)");
        _graph.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task AnExpiredPageTokenFailsTheLeadAtOnceSayingToRenewIt()
    {
        await ConnectAsync();
        _graph.FailNext("900000000000008", 400, GraphStandIn.ExpiredTokenError);
        var body = Notification("900000000000008");
        using var response = await NotifyAsync(body, Sign(body));

        await ProcessAsync();
        await ProcessAsync();

        var lead = (await LeadsAsync()).Single();
        (lead.State, lead.Attempts).ShouldBe((LeadState.Failed, 1));
        lead.Error!.ShouldStartWith("the Page access token has expired or is not valid: renew it");
        _graph.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AFailedLeadRetriedAfterTheTokenIsRenewedIsApplied()
    {
        await ConnectAsync();
        _graph.AddLead("900000000000009", "444444444444", "555555555555", ("email", "dan@example.com"));
        _graph.FailNext("900000000000009", 400, GraphStandIn.ExpiredTokenError);
        var body = Notification("900000000000009");
        using var response = await NotifyAsync(body, Sign(body));
        await ProcessAsync();
        var leads = _factory.Services.GetRequiredService<LeadAdsService>();

        var retried = await leads.RetryAsync(await WorkspaceIdAsync(), (await LeadsAsync()).Single().Id, Ct);
        await ProcessAsync();

        retried.ShouldBeTrue();
        (await LeadsAsync()).Single().State.ShouldBe(LeadState.Applied);
        (await PersonAsync("dan@example.com")).ShouldNotBeNull();
    }

    [Fact]
    public async Task ALeadFormsOwnMappingChoosesTheIdentifierRenamesAndIgnoresFields()
    {
        await ConnectAsync("""
            , "mapping": {"email": "ignore"},
              "form_mappings": {"777777777777": {"work_email": "email", "full_name": "attribute:name", "phone_number": "ignore"}}
            """);
        _graph.AddLead("900000000000010", "777777777777", "555555555555",
            ("email", "private@example.com"), ("work_email", "eve@work.example"), ("full_name", "Eve Moss"), ("phone_number", "+15550100"), ("city", "Oslo"));
        var body = Notification("900000000000010", formId: "777777777777");
        using var response = await NotifyAsync(body, Sign(body));

        await ProcessAsync();

        var person = await PersonAsync("eve@work.example");
        person.ShouldNotBeNull();
        person.Attributes.Select(a => $"{a.Name}={a.Value}").Order().ShouldBe(["city=Oslo", "name=Eve Moss"]);
        (await PersonAsync("private@example.com")).ShouldBeNull();
    }

    [Fact]
    public async Task ALeadFormWithoutItsOwnMappingUsesTheConnectionsMapping()
    {
        await ConnectAsync("""
            , "mapping": {"customer_number": "id"}
            """);
        _graph.AddLead("900000000000011", "888888888888", "555555555555", ("customer_number", "C-42"), ("email", "fay@example.com"));
        var body = Notification("900000000000011", formId: "888888888888");
        using var response = await NotifyAsync(body, Sign(body));

        await ProcessAsync();

        var person = await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(await WorkspaceIdAsync(), PersonReference.ForId("C-42"), Ct);
        person.ShouldNotBeNull();
        person.Email.ShouldBeNull();
    }

    [Fact]
    public async Task ASignedBodyThatIsNotAPageNotificationIsA400()
    {
        await ConnectAsync();
        const string body = """{"object":"user","entry":[]}""";

        using var response = await NotifyAsync(body, Sign(body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

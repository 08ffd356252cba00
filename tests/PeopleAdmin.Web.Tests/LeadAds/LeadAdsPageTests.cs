using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.LeadAds;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.LeadAds;

/// <summary>The Lead ads page: the callback URL, the connection form for Admins, and received leads with their state.</summary>
public sealed class LeadAdsPageTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private LeadAdsService LeadAds => Services.GetRequiredService<LeadAdsService>();

    private async Task<long> FailedLeadAsync(string leadgenId, string reason)
    {
        await LeadAds.ReceiveAsync(WorkspaceId, [new LeadNotification(leadgenId, "123", "444", "555")], Ct);
        var id = (await LeadAds.ListAsync(WorkspaceId, 0, 10, Ct)).Rows.Single(l => l.LeadgenId == leadgenId).Id;
        await LeadAds.MarkFailedAttemptAsync(id, reason, retryAt: null, Ct);
        return id;
    }

    [Fact]
    public async Task AFailedLeadShowsWhyAndAnEditorRetriesIt()
    {
        await FailedLeadAsync("900001", "the Page access token has expired or is not valid: renew it and save the connection again");
        SignIn("editor@example.test", "CanEditPeople");

        var page = Render<LeadAdsPage>();
        page.WaitForAssertion(() => page.Find("tbody").TextContent.ShouldContain("the Page access token has expired or is not valid: renew it"));
        page.Find("tbody").TextContent.ShouldContain("failed");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Retry").Click();

        page.WaitForAssertion(() => page.Find("tbody").TextContent.ShouldContain("waiting"));
        (await LeadAds.ListAsync(WorkspaceId, 0, 10, Ct)).Rows.Single().State.ShouldBe(LeadState.Waiting);
    }

    [Fact]
    public async Task AViewerSeesTheCallbackUrlButNoConnectionFormOrRetry()
    {
        await FailedLeadAsync("900002", "the lead was not applied");
        SignIn("viewer@example.test");

        var page = Render<LeadAdsPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=webhook-url]").TextContent.ShouldStartWith("https://people.example.test/integrations/facebook/site"));
        page.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("Retry");
        page.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("Save connection");
    }

    [Fact]
    public async Task AViewersForgedSaveOrRetryIsRefusedAndChangesNothing()
    {
        var id = await FailedLeadAsync("900003", "the lead was not applied");
        SignIn("viewer@example.test");
        var console = Services.GetRequiredService<LeadAdsConsole>();

        var saved = await console.SaveAsync(WorkspaceId, "secret", "token", "v25.0", "123 EAAtoken", Ct);
        var retried = await console.RetryAsync(WorkspaceId, id, Ct);

        saved!.Message.ShouldBe("Only Admins and the Owner can change the Lead Ads connection.");
        retried!.Message.ShouldBe("Only Editors, Admins and the Owner can retry leads.");
        (await LeadAds.GetAsync(WorkspaceId, Ct)).ShouldBeNull();
        (await LeadAds.ListAsync(WorkspaceId, 0, 10, Ct)).Rows.Single().State.ShouldBe(LeadState.Failed);
    }

    [Fact]
    public async Task AnAdminConnectsTheWorkspaceFromThePageAndTheChangeIsAudited()
    {
        SignIn("admin@example.test", "CanEditPeople", "CanManageSettings");
        var page = Render<LeadAdsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=lead-ads-connection]").TextContent.ShouldContain("Not connected"));

        var inputs = page.FindAll("input, textarea");
        inputs[0].Change("the-app-secret");
        inputs[1].Change("the-verify-token");
        page.FindAll("input, textarea")[3].Change("109876543210987 EAAtoken");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Save connection").Click();

        page.WaitForAssertion(() => page.Find("[data-testid=connection-state]").TextContent.ShouldContain("Connected to Pages 109876543210987, Graph API v25.0"));
        (await LeadAds.FindSecretsAsync(WorkspaceId, Ct))!.AppSecret.ShouldBe("the-app-secret");
        await using var db = await Factory.CreateDbContextAsync(Ct);
        (await db.AuditEntries.AsNoTracking().Select(e => e.Action).ToListAsync(Ct)).ShouldContain(AuditActions.LeadAdsConnected);
    }
}

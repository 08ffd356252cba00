using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.LeadAds;

public sealed class LeadAdsConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    // Nothing listens there: a lead put back in line fails again and waits, as it would while Meta is unreachable.
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["PeopleAdmin:FacebookLeadAds:GraphBaseUrl"] = "http://127.0.0.1:9",
    };

    [Fact]
    public async Task AnOwnerConnectsPagesAndRetriesALeadWhoseTokenHadExpired()
    {
        var ct = TestContext.Current.CancellationToken;
        var leads = Server.Services.GetRequiredService<LeadAdsService>();
        var workspaceId = await DefaultWorkspaceIdAsync();
        await leads.ReceiveAsync(workspaceId, [new LeadNotification("900000000000031", "109876543210987", "444444444444", "555555555555")], ct);
        var failed = (await leads.ListAsync(workspaceId, 0, 10, ct)).Rows.Single();
        await leads.MarkFailedAttemptAsync(failed.Id,
            "the Page access token has expired or is not valid: renew it and save the connection again (Graph error 190: Session has expired)", retryAt: null, ct);
        await SignInAsync();

        await OpenAsync("/lead-ads");
        await Expect(Page.GetByTestId("webhook-url")).ToContainTextAsync($"/integrations/facebook/{SiteId}/webhook");
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "900000000000031" })).ToContainTextAsync("renew it");
        await Page.GetByLabel("App secret").FillAsync("the-app-secret");
        await Page.GetByLabel("Verify token").FillAsync("the-verify-token");
        await Page.GetByLabel("Pages").FillAsync("109876543210987 EAArenewedtoken");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();
        await Expect(Page.GetByText("Connection saved.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("connection-state")).ToContainTextAsync("Connected to Pages 109876543210987");
        await KeepScreenshotAsync("lead-ads");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(Page.GetByText("Lead 900000000000031 is being read again.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);
        (await leads.FindSecretsAsync(workspaceId, ct))!.VerifyToken.ShouldBe("the-verify-token");
    }
}

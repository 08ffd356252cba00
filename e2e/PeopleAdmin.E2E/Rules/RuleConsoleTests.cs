using System.Net;
using Microsoft.Playwright;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Rules;

public sealed class RuleConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task ARuleSetsThePlanFromAnUpgradedEventSentThroughTheTrackApi()
    {
        var ct = TestContext.Current.CancellationToken;
        await SignInAsync();
        await OpenAsync("/rules");
        await Expect(Page.GetByTestId("rules-empty")).ToBeVisibleAsync();
        await KeepScreenshotAsync("rules-empty");

        await Page.GetByRole(AriaRole.Link, new() { Name = "New rule" }).ClickAsync();
        var editor = Page.GetByTestId("rule-editor");
        await editor.GetByLabel("Name", new() { Exact = true }).FillAsync("Plan from upgrades");
        await editor.GetByLabel("Event name").FillAsync("upgraded");
        await editor.GetByLabel("Attribute", new() { Exact = true }).FillAsync("plan");
        await editor.GetByLabel("Value", new() { Exact = true }).FillAsync("{{ event.data.plan }}");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Expect(Page.GetByText("Rule \"Plan from upgrades\" saved.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("runs-empty")).ToBeVisibleAsync();

        using var api = TrackClient();
        (await api.PostAsync("api/v1/customers/u1/events", Json("""{"name": "upgraded", "data": {"plan": "pro"}}"""), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Expect(Page.GetByTestId("run-row")).ToContainTextAsync("applied");
        await KeepScreenshotAsync("rules-run-applied");

        var person = await People.GetPersonAsync(await DefaultWorkspaceIdAsync(), PersonReference.ForId("u1"), ct);
        await OpenAsync($"/people/{person!.CioId}");
        await Expect(Page.GetByTestId("attribute-plan")).ToContainTextAsync("pro");
        await KeepScreenshotAsync("person-plan-from-rule");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        await Expect(Page.GetByTestId("activity-timeline")).ToContainTextAsync("from action (rule Plan from upgrades)");
        await KeepScreenshotAsync("person-activity-from-rule");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Integrations" }).ClickAsync();
        await Expect(Page.GetByTestId("integration").Filter(new() { HasText = "Rules" })).ToContainTextAsync("1 rule (1 running, 0 webhooks) · the last run");
        await KeepScreenshotAsync("settings-integrations");
    }
}

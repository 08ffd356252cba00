using Microsoft.Playwright;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Apis;

public sealed class ApiReferenceTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task TheApiReferenceOpensOfflineAndListsTheThreeApis()
    {
        var outside = new List<string>();
        Page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(BaseAddress.ToString(), StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };

        await Page.GotoAsync("/api-reference");

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "PeopleAdmin HTTP API reference" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Authentication" })).ToBeVisibleAsync();
        await Expect(Page.GetByText("/api/v1/customers/{identifier}").First).ToBeVisibleAsync();
        await Expect(Page.GetByText("/v1/customers/{identifier}/attributes").First).ToBeVisibleAsync();
        await Expect(Page.GetByText("/api/admin/v1/workspaces").First).ToBeVisibleAsync();
        await KeepScreenshotAsync("api-reference");
        outside.ShouldBeEmpty();
    }
}

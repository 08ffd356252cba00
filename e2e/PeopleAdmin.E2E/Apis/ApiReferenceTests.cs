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

    [Fact]
    public async Task ARequestBodyIsDescribedByItsPropertiesNotAsABareObject()
    {
        await Page.GotoAsync("/api-reference");

        var identify = Page.Locator("details").Filter(new() { Has = Page.Locator("summary", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^PUT/api/v1/customers/\{identifier\}$") }) });
        await identify.Locator("summary").ClickAsync();
        var properties = identify.Locator("table.properties");
        await Expect(properties.GetByRole(AriaRole.Row).Filter(new() { HasText = "_timestamp" })).ToContainTextAsync("Unix seconds");
        await Expect(properties.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = "<any other name>", Exact = true }) })).ToContainTextAsync("JSON array or object");
        var batch = Page.Locator("details").Filter(new() { Has = Page.Locator("summary", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^POST/api/v2/batch$") }) });
        await batch.Locator("summary").ClickAsync();
        await Expect(batch.Locator("table.properties").GetByRole(AriaRole.Row).Filter(new() { HasText = "batch[].identifiers.email" })).ToBeVisibleAsync();
        await Expect(identify).Not.ToContainTextAsync("\"type\": \"object\"");
        await KeepScreenshotAsync("api-reference-identify-body");
    }
}

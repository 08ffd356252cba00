using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

/// <summary>The People page's filters and exports, as an operator uses them in Chromium.</summary>
public sealed class AudienceConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private async Task SeedAsync()
    {
        var workspace = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspace, "ann@example.test", ("plan", "pro"), ("city", "Lyon"));
        await IdentifyAsync(workspace, "bob@example.test", ("plan", "pro"), ("city", "Paris"));
        await IdentifyAsync(workspace, "cat@example.test", ("plan", "free"), ("city", "Lyon"));
        await IdentifyAsync(workspace, "dan@example.test", ("plan", "pro"), ("city", "Lyon"), ("note", new string('x', 120)));
    }

    [Fact]
    public async Task ATwoConditionFilterShowsWhoMatchesWithTheCountAndComesBackFromItsUrl()
    {
        await SeedAsync();
        await SignInAsync();
        await OpenAsync("/people");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add condition" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add condition" }).ClickAsync();
        var conditions = Page.GetByTestId("filter-condition");
        await FillAttributeAsync(conditions.Nth(0), "plan", "pro");
        await FillAttributeAsync(conditions.Nth(1), "city", "Lyon");
        await Page.GetByLabel("Extra columns").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "city" }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "note" }).ClickAsync();
        await Page.GetByText("People who match").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();

        var rows = Page.GetByTestId("people-grid").Locator("tbody tr");
        await Expect(Page).ToHaveURLAsync(new Regex("filter="));
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("2 people match this filter");
        await Expect(rows.First).ToContainTextAsync("ann@example.test");
        await Expect(rows.Nth(1).GetByTitle(new string('x', 120))).ToBeVisibleAsync();
        await KeepScreenshotAsync("people-filter-two-conditions");

        await Page.ReloadAsync();
        await WaitForInteractiveAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("2 people match this filter");
        await Expect(Page.GetByTestId("filter-condition")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("people-grid")).ToContainTextAsync("Lyon");
        await KeepScreenshotAsync("people-filter-reloaded");
    }

    [Fact]
    public async Task AFilterThatMatchesNobodySaysWhatToDo()
    {
        await SeedAsync();
        await SignInAsync();
        await OpenAsync("/people?filter=" + Uri.EscapeDataString("""{"attribute":{"field":"plan","operator":"eq","value":"gold"}}"""));

        await Expect(Page.GetByTestId("search-notice")).ToContainTextAsync("Nobody matches this filter");
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("0 people match this filter");
        await KeepScreenshotAsync("people-filter-nobody");
    }

    [Fact]
    public async Task AGroupOfAnyOfConditionsNarrowsAnAllOfFilter()
    {
        await SeedAsync();
        await SignInAsync();
        await OpenAsync("/people");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add condition" }).ClickAsync();
        await FillAttributeAsync(Page.GetByTestId("filter-condition").Nth(0), "plan", "pro");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add group" }).ClickAsync();
        var group = Page.GetByTestId("filter-group-1");
        await FillAttributeAsync(group.GetByTestId("filter-condition").Nth(0), "city", "Paris");
        await group.GetByRole(AriaRole.Button, new() { Name = "Add condition" }).ClickAsync();
        await FillAttributeAsync(group.GetByTestId("filter-condition").Nth(1), "email", "dan@example.test");
        await KeepScreenshotAsync("people-filter-group");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();

        var rows = Page.GetByTestId("people-grid").Locator("tbody tr");
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("2 people match this filter");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync("bob@example.test");
        await Expect(rows.Nth(1)).ToContainTextAsync("dan@example.test");
    }

    [Fact]
    public async Task AViewerExportsTheFilteredPeopleAndOpensTheCsv()
    {
        await SeedAsync();
        await AddOperatorAsync("viewer@example.test", "Viewer");
        await SignInAsync("viewer@example.test");
        await OpenAsync("/people?filter=" + Uri.EscapeDataString("""{"attribute":{"field":"city","operator":"eq","value":"Lyon"}}"""));
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("3 people match this filter");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Attribute columns").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "plan" }).ClickAsync();
        await dialog.GetByText("Export the people who match this filter to CSV").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start export" }).ClickAsync();

        var download = Page.GetByTestId("exports").GetByRole(AriaRole.Link, new() { Name = "Download CSV" });
        await Expect(download).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("export-status")).ToHaveTextAsync("Done: 3 people");
        await KeepScreenshotAsync("people-export-done");
        var href = await download.GetAttributeAsync("href");
        var csv = await Page.APIRequest.GetAsync(href!);

        csv.Status.ShouldBe(200);
        csv.Headers["content-type"].ShouldStartWith("text/csv");
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].TrimEnd('\r').ShouldBe("cio_id,id,email,plan");
        lines.Skip(1).Select(l => l.Split(',')[2]).ShouldBe(["ann@example.test", "cat@example.test", "dan@example.test"]);
    }

    private async Task FillAttributeAsync(ILocator condition, string name, string value)
    {
        // The name is picked from its suggestions, as an operator would: tabbing on at once leaves the list to open a
        // moment later (it searches 100 ms after the last key) over the buttons below.
        await condition.GetByLabel("Attribute name").FillAsync(name);
        await Page.GetByRole(AriaRole.Option, new() { Name = name, Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);
        await condition.GetByLabel("Value").FillAsync(value);
    }
}

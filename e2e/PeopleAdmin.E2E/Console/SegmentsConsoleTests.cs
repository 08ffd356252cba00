using Microsoft.Playwright;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

public sealed class SegmentsConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task AnOwnerBuildsASegmentByIdentifierSearchesItRemovesAMemberAndReachesItFromAProfile()
    {
        var workspaceId = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspaceId, "ana@example.com");
        await IdentifyAsync(workspaceId, "bob@example.com");
        var carla = await IdentifyAsync(workspaceId, "carla@example.com");
        await SignInAsync();

        await OpenAsync("/segments");
        await Expect(Page.GetByTestId("segments-empty")).ToContainTextAsync("Create one with New segment");
        await Page.GetByTestId("segments-empty").GetByRole(AriaRole.Button, new() { Name = "New segment" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByLabel("Name").FillAsync("Spring fair leads");
        await Page.GetByRole(AriaRole.Dialog).GetByLabel("Description (optional)").FillAsync("Badge scans from the spring fair");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create segment" }).ClickAsync();
        await Expect(Page.GetByTestId("segment-title")).ToHaveTextAsync("Spring fair leads");
        await Expect(Page.GetByTestId("members-empty")).ToContainTextAsync("Nobody in this segment yet");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add people" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByLabel("Identifiers").FillAsync("ana@example.com\nbob@example.com\nghost@example.com");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to segment" }).ClickAsync();
        await Expect(Page.GetByTestId("members-not-found")).ToContainTextAsync("Found 2 of 3 identifiers");
        await KeepScreenshotAsync("segment-add-people");
        await Page.GetByRole(AriaRole.Dialog).GetByLabel("Identifiers").FillAsync($"cio_{carla}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to segment" }).ClickAsync();
        await Expect(Page.GetByText("Found 3 identifiers: those people are in Spring fair leads now.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("segment-members")).ToContainTextAsync("3 members");
        await KeepScreenshotAsync("segment-members");

        await Page.GetByLabel("Search members").FillAsync("bo");
        await Page.GetByLabel("Search members").PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/segments/\d+\?q=bo$"));
        var rows = Page.GetByTestId("members-grid").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await rows.GetByRole(AriaRole.Checkbox).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove 1 member from segment" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove from segment" }).ClickAsync();
        await Expect(Page.GetByText("Removed 1 member.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("segment-members")).ToContainTextAsync("2 members");

        await OpenAsync($"/people/{carla}");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Segments (1)" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Spring fair leads" }).ClickAsync();
        await Expect(Page.GetByTestId("segment-title")).ToHaveTextAsync("Spring fair leads");
        await Expect(Page.GetByTestId("members-grid")).ToContainTextAsync("carla@example.com");
    }

    [Fact]
    public async Task AViewerReadsASegmentWithoutAnyWayToChangeIt()
    {
        var workspaceId = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspaceId, "ana@example.com");
        var context = new PeopleAdmin.Core.People.OperationContext(workspaceId, PeopleAdmin.Core.People.Sources.Ui, OwnerEmail);
        var segment = (int)(await People.ExecuteAsync(context, new PeopleAdmin.Core.People.CreateSegmentOperation("Customers", null), TestContext.Current.CancellationToken)).RecordId!;
        await People.ExecuteAsync(context, new PeopleAdmin.Core.People.AddToSegmentOperation(segment, [PeopleAdmin.Core.People.PersonReference.ForEmail("ana@example.com")]), TestContext.Current.CancellationToken);
        await AddOperatorAsync("viewer@example.test", PeopleAdmin.Core.Operators.OperatorRoles.Viewer);
        await SignInAsync("viewer@example.test");

        await OpenAsync($"/segments/{segment}");

        await Expect(Page.GetByTestId("members-grid")).ToContainTextAsync("ana@example.com");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Add people" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await KeepScreenshotAsync("segment-viewer");
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

/// <summary>What a new user tried by hand: attributes on a profile and in Add person, long values, refused input.</summary>
public sealed class NewUserJourneyTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task AttributesAreAddedKeptAcrossTabsChangedAndRemovedWithAConfirmation()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = TrackClient();
        (await api.PutAsync("api/v1/customers/journey-1", Json("""{"age": 41, "address": {"city": "Paris", "zip": "75001"}, "created_at": 1700000000}"""), ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var cioId = (await People.GetPersonAsync(await DefaultWorkspaceIdAsync(), PersonReference.ForId("journey-1"), ct))!.CioId;
        await SignInAsync();
        await OpenAsync($"/people/{cioId}");
        await Expect(Page.GetByTestId("person-created-at")).ToHaveTextAsync("2023-11-14 22:13:20");
        await Expect(Page.GetByTestId("attribute-address-json")).ToContainTextAsync("\"city\": \"Paris\"");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add attribute" }).ClickAsync();
        await Page.GetByLabel("Attribute 1 name").FillAsync("plan");
        await Page.GetByLabel("Attribute 1 value").FillAsync("pro");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Attributes" }).ClickAsync();
        await Expect(Page.GetByLabel("Attribute 1 value")).ToHaveValueAsync("pro");
        await KeepScreenshotAsync("journey-attribute-new-row");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save new attribute" }).ClickAsync();
        await Expect(Page.GetByTestId("attribute-plan")).ToContainTextAsync("pro");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Edit age" }).ClickAsync();
        await Page.GetByLabel("age value").FillAsync("not a number");
        await Expect(Page.GetByText("\"not a number\" is not a number")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("attribute-age").GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeDisabledAsync();
        await Page.GetByLabel("age value").FillAsync("");
        await Expect(Page.GetByText("To remove an attribute, use its Remove button.")).ToBeVisibleAsync();
        await KeepScreenshotAsync("journey-attribute-refused-value");
        await Page.GetByLabel("age value").FillAsync("42");
        await Page.GetByTestId("attribute-age").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(Page.GetByTestId("attribute-age")).ToContainTextAsync("Number");
        await Expect(Page.GetByTestId("attribute-age")).ToContainTextAsync("42");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove plan" }).ClickAsync();
        var confirm = Page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("Remove plan?");
        await KeepScreenshotAsync("journey-attribute-remove-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove attribute" }).ClickAsync();
        await Expect(Page.GetByTestId("attribute-plan")).ToHaveCountAsync(0);
        await KeepScreenshotAsync("journey-profile-attributes");
    }

    [Fact]
    public async Task AddPersonRefusesDuplicateNamesAndAWordAsANumberWithoutEndingTheSession()
    {
        await SignInAsync();
        await OpenAsync("/people");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add people" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Add a person" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("ID").FillAsync("new-person");
        var add = dialog.GetByRole(AriaRole.Button, new() { Name = "Add person" });

        for (var row = 1; row <= 2; row++)
        {
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add attribute" }).ClickAsync();
            await dialog.GetByLabel($"Attribute {row} name").FillAsync("plan");
            await dialog.GetByLabel($"Attribute {row} value").FillAsync("pro");
        }

        await Expect(dialog.GetByText("\"plan\" is already in the list").First).ToBeVisibleAsync();
        await Expect(add).ToBeDisabledAsync();
        await dialog.GetByLabel("Attribute 2 name").FillAsync("age");
        await dialog.GetByLabel("Attribute 2 type").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Number" }).ClickAsync();
        await dialog.GetByLabel("Attribute 2 value").FillAsync("forty");
        await Expect(dialog.GetByText("\"forty\" is not a number")).ToBeVisibleAsync();
        await Expect(add).ToBeDisabledAsync();
        await KeepScreenshotAsync("journey-add-person-refused");

        await dialog.GetByLabel("Attribute 2 value").FillAsync("40");
        await add.ClickAsync();
        await Expect(Page.GetByTestId("person-id")).ToHaveTextAsync("new-person");
        await Expect(Page.GetByTestId("attribute-age")).ToContainTextAsync("Number");
    }

    [Fact]
    public async Task LongIdsAndWorkspaceNamesTruncateInTablesAndMenusAndShowWholeOnHover()
    {
        var longId = new string('x', 140) + "-long-id0";
        var longName = "Marketing " + new string('w', 90);
        var workspaceId = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspaceId, longId);
        await IdentifyAsync(workspaceId, "short-id");
        await Server.Services.GetRequiredService<WorkspaceService>().CreateAsync(longName, null, TestContext.Current.CancellationToken);
        await SignInAsync();

        await OpenAsync("/people");
        var grid = Page.GetByTestId("people-grid");
        var longRow = grid.Locator("tbody tr").Filter(new() { HasText = "xxxx" });
        var shortRow = grid.Locator("tbody tr").Filter(new() { HasText = "short-id" });
        await Expect(longRow.GetByTitle(longId)).ToBeVisibleAsync();
        (await longRow.BoundingBoxAsync())!.Height.ShouldBe((await shortRow.BoundingBoxAsync())!.Height, 1);
        await Expect(longRow.GetByText("cio_")).ToBeInViewportAsync();
        await KeepScreenshotAsync("journey-people-long-id");

        await OpenAsync("/workspaces");
        var row = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Marketing" });
        await Expect(row.GetByTitle(longName)).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Switch to" })).ToBeInViewportAsync();
        await Page.GetByLabel("Workspace: Default workspace").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Menuitem).GetByTitle(longName)).ToBeVisibleAsync();
        await KeepScreenshotAsync("journey-workspaces-long-name");
    }

    [Fact]
    public async Task AtPhoneWidthTheAppBarKeepsEveryControlOnScreen()
    {
        await Server.Services.GetRequiredService<WorkspaceService>().RenameAsync(await DefaultWorkspaceIdAsync(), "Customer success team in Europe", TestContext.Current.CancellationToken);
        await Page.SetViewportSizeAsync(375, 740);
        await SignInAsync();

        var bar = Page.Locator("header.mud-appbar");
        (await bar.EvaluateAsync<bool>("e => e.querySelector('.mud-toolbar').scrollWidth <= e.clientWidth")).ShouldBeTrue();
        await Expect(Page.GetByLabel("Workspace: Customer success team in Europe")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" })).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(bar.Locator(".pa-operator-button")).ToBeInViewportAsync(new() { Ratio = 1 });
        await KeepScreenshotAsync("journey-phone-app-bar");
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("99999999999")]
    public async Task ABadRateLimitSaysWhatIsWrongNextToTheField(string typed)
    {
        await SignInAsync();
        await OpenAsync("/settings");

        await Page.GetByLabel("Requests per second").FillAsync(typed);
        await Page.GetByLabel("Requests per second").BlurAsync();

        await Expect(Page.GetByText($"\"{typed}\" is not allowed: the rate limit is a whole number from 1 to 100,000")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Save settings" })).ToBeDisabledAsync();
        await KeepScreenshotAsync($"journey-rate-limit-{typed}");
    }

    [Fact]
    public async Task ADuplicateWorkspaceNameKeepsTheDialogOpenWithTheNameAndSaysWhy()
    {
        await SignInAsync();
        await OpenAsync("/workspaces");

        await Page.GetByRole(AriaRole.Button, new() { Name = "New workspace" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Workspace name").FillAsync("Default workspace");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dialog.GetByText("already")).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Workspace name")).ToHaveValueAsync("Default workspace");
        await KeepScreenshotAsync("journey-workspace-duplicate-name");
        await dialog.GetByLabel("Workspace name").FillAsync("Second");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Cell, new() { Name = "Second", Exact = true })).ToBeVisibleAsync();
    }
}

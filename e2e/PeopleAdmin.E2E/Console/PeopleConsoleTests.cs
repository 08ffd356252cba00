using System.Net;
using Microsoft.Playwright;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

public sealed class PeopleConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task ALeadAddedByEmailGetsAnIdFromTheProfileAndIsFoundByEmailInAnyCase()
    {
        await SignInAsync();
        await OpenAsync("/people");
        await Expect(Page.GetByTestId("people-empty")).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add people" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Add a person" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("lead@example.test");
        await KeepScreenshotAsync("people-add-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();

        await Expect(Page.GetByTestId("person-email")).ToHaveTextAsync("lead@example.test");
        var cioId = await Page.GetByTestId("person-cio-id").InnerTextAsync();
        cioId.ShouldStartWith("cio_");
        await Page.GetByTestId("edit-id").FillAsync("cust-1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save identifiers" }).ClickAsync();
        await Expect(Page.GetByTestId("person-id")).ToHaveTextAsync("cust-1");
        await Expect(Page.GetByTestId("person-cio-id")).ToHaveTextAsync(cioId);
        await KeepScreenshotAsync("person-profile");

        await OpenAsync("/people");
        await KeepScreenshotAsync("people-list");
        await Page.GetByLabel("Search people").FillAsync("LEAD@Example.TEST");
        await Page.GetByLabel("Search people").PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/people/{cioId["cio_".Length..]}$"));
        await Expect(Page.GetByTestId("person-id")).ToHaveTextAsync("cust-1");
    }

    [Fact]
    public async Task AnAttributeIsEditedAndThenRemovedFromTheProfile()
    {
        var cioId = await IdentifyAsync(await DefaultWorkspaceIdAsync(), "plan-person@example.test", ("plan", "basic"));
        await SignInAsync();
        await OpenAsync($"/people/{cioId}");
        await Expect(Page.GetByTestId("attribute-plan")).ToContainTextAsync("basic");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Edit plan" }).ClickAsync();
        await Page.GetByLabel("plan value").FillAsync("pro");
        await Page.GetByTestId("attribute-plan").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(Page.GetByTestId("attribute-plan")).ToContainTextAsync("pro");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        await Expect(Page.GetByTestId("activity-timeline")).ToContainTextAsync("plan: basic → pro");
        await KeepScreenshotAsync("person-activity");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Attributes" }).ClickAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove plan" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove attribute" }).ClickAsync();
        await Expect(Page.GetByTestId("no-attributes")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnEmailThatBelongsToSomeoneElseIsRefusedWithTheReason()
    {
        var workspaceId = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspaceId, "taken@example.test");
        var cioId = await IdentifyAsync(workspaceId, "other@example.test");
        await SignInAsync();
        await OpenAsync($"/people/{cioId}");

        await Page.GetByTestId("edit-email").FillAsync("TAKEN@example.test");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save identifiers" }).ClickAsync();

        await Expect(Page.GetByTestId("identifier-refused")).ToContainTextAsync("already associated with a different profile");
        await Expect(Page.GetByTestId("person-email")).ToHaveTextAsync("other@example.test");
        await KeepScreenshotAsync("person-identifier-refused");
    }

    [Fact]
    public async Task TheAddDialogRefusesAnEmailSomeoneHoldsAndLinksThem()
    {
        var holder = await IdentifyAsync(await DefaultWorkspaceIdAsync(), "held@example.test");
        await SignInAsync();
        await OpenAsync("/people");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add people" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Add a person" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("not-an-email");
        await Expect(dialog).ToContainTextAsync("That is not an email address");
        await dialog.GetByLabel("Email").FillAsync("HELD@example.test");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();

        await Expect(dialog.GetByTestId("add-refused")).ToContainTextAsync("Nobody was added.");
        await Expect(dialog.Locator($"a[href='/people/{holder}']")).ToBeVisibleAsync();
        await KeepScreenshotAsync("people-add-refused");
    }

    [Fact]
    public async Task DeletingAndSuppressingAskFirstAndSuppressionKeepsThePersonOut()
    {
        var ct = TestContext.Current.CancellationToken;
        var workspaceId = await DefaultWorkspaceIdAsync();
        var deleted = await IdentifyAsync(workspaceId, "delete-me@example.test");
        var suppressed = await IdentifyAsync(workspaceId, "suppress-me@example.test");
        await SignInAsync();

        await OpenAsync($"/people/{deleted}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("become free again");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete person" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/people$"));
        await Expect(Page.GetByText("delete-me@example.test")).ToHaveCountAsync(0);

        await OpenAsync($"/people/{suppressed}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Suppress" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("suppression list");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Suppress person" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/people$"));

        using var api = TrackClient();
        (await api.PutAsync("api/v1/customers/suppress-me@example.test", Json("{}"), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await People.GetPersonAsync(workspaceId, PersonReference.ForEmail("suppress-me@example.test"), ct)).ShouldBeNull();
        await OpenAsync($"/people/{deleted}");
        await Expect(Page.GetByTestId("person-not-found")).ToBeVisibleAsync();
        await KeepScreenshotAsync("person-not-found");
    }

    [Fact]
    public async Task AViewerSeesPeopleButNoControlsToChangeThem()
    {
        var cioId = await IdentifyAsync(await DefaultWorkspaceIdAsync(), "viewed@example.test", ("plan", "basic"));
        await AddOperatorAsync("viewer@example.test", OperatorRoles.Viewer);
        await SignInAsync("viewer@example.test");

        await OpenAsync("/people");
        await Expect(Page.GetByText("viewed@example.test")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Add people" })).ToHaveCountAsync(0);

        await OpenAsync($"/people/{cioId}");
        await Expect(Page.GetByTestId("attribute-plan")).ToContainTextAsync("basic");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Save identifiers" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Edit plan" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Add attribute" })).ToHaveCountAsync(0);
        await KeepScreenshotAsync("person-viewer");
    }
}

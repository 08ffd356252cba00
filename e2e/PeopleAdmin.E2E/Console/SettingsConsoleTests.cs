using System.Net;
using Microsoft.Playwright;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

public sealed class SettingsConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task AllowingEmailUpdatesByIdLetsTheTrackApiChangeASetEmail()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = TrackClient();
        (await api.PutAsync("api/v1/customers/u1", Json("""{"email":"first@example.test"}"""), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync("api/v1/customers/u1", Json("""{"email":"second@example.test"}"""), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await SignInAsync();
        await OpenAsync("/people?q=u1");
        await Expect(Page.GetByTestId("person-email")).ToHaveTextAsync("first@example.test");

        await OpenAsync("/settings");
        await Page.GetByLabel("Allow updates to email using ID").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(Page.GetByText("Settings saved")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("settings-history")).ToContainTextAsync(OwnerEmail);
        await KeepScreenshotAsync("settings-saved");
        (await api.PutAsync("api/v1/customers/u1", Json("""{"email":"second@example.test"}"""), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await OpenAsync("/people?q=u1");
        await Expect(Page.GetByTestId("person-email")).ToHaveTextAsync("second@example.test");
    }

    [Fact]
    public async Task SwitchingToEmailOrIdWhileTwoPeopleShareAnEmailShowsThemAndSavesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var workspaceId = await DefaultWorkspaceIdAsync();
        (await People.ExecuteAsync(new OperationContext(workspaceId, Sources.Ui, OwnerEmail),
            new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.IdOnly }), ct)).Status.ShouldBe(OperationStatus.Applied);
        var first = await IdentifyAsync(workspaceId, "a1", ("email", "same@example.test"));
        var second = await IdentifyAsync(workspaceId, "a2", ("email", "SAME@example.test"));
        await SignInAsync();

        await OpenAsync("/settings");
        await Page.GetByRole(AriaRole.Radio, new() { Name = "Email or ID" }).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();

        var error = Page.GetByTestId("settings-error");
        await Expect(error).ToContainTextAsync("Nothing was saved.");
        await Expect(error.Locator($"a[href='/people/{first}']")).ToBeVisibleAsync();
        await Expect(error.Locator($"a[href='/people/{second}']")).ToBeVisibleAsync();
        await KeepScreenshotAsync("settings-conflict");
        (await People.GetSettingsAsync(workspaceId, ct))!.Identifiers.ShouldBe(IdentifierMode.IdOnly);
    }

    [Fact]
    public async Task ASecondWorkspaceHasItsOwnPeopleAndTheSwitchIsRemembered()
    {
        await IdentifyAsync(await DefaultWorkspaceIdAsync(), "first-workspace-person@example.test");
        await SignInAsync();
        await OpenAsync("/workspaces");

        await Page.GetByRole(AriaRole.Button, new() { Name = "New workspace" }).ClickAsync();
        await Page.GetByLabel("Workspace name").FillAsync("Second");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Cell, new() { Name = "Second", Exact = true })).ToBeVisibleAsync();
        await KeepScreenshotAsync("workspaces");

        await Page.GetByLabel("Workspace: Default workspace").ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Second" }).ClickAsync();
        await Expect(Page.GetByLabel("Workspace: Second")).ToBeVisibleAsync();
        await OpenAsync("/people");
        await Expect(Page.GetByTestId("people-empty")).ToContainTextAsync("No people in Second yet");
        await KeepScreenshotAsync("people-empty");

        await Page.ReloadAsync();
        await WaitForInteractiveAsync();
        await Expect(Page.GetByLabel("Workspace: Second")).ToBeVisibleAsync();
        await Page.GetByLabel("Workspace: Second").ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Default workspace" }).ClickAsync();
        await Expect(Page.GetByText("first-workspace-person@example.test")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RotatingTheKeysMakesTheOldKeyAnswer401()
    {
        var ct = TestContext.Current.CancellationToken;
        using var oldKey = TrackClient();
        (await oldKey.PutAsync("api/v1/customers/r1", Json("{}"), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await SignInAsync();
        await OpenAsync("/settings/api");
        await Expect(Page.GetByTestId("site-id")).ToHaveTextAsync(SiteId);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reveal keys" }).ClickAsync();
        await Expect(Page.GetByTestId("track-api-key")).ToHaveTextAsync(TrackKey);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Rotate keys" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("stop working at once");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Rotate keys" }).ClickAsync();
        await Expect(Page.GetByTestId("track-api-key")).Not.ToHaveTextAsync(TrackKey);
        await KeepScreenshotAsync("api-credentials");

        (await oldKey.PutAsync("api/v1/customers/r1", Json("{}"), ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var newKey = TrackClient(key: await Page.GetByTestId("track-api-key").InnerTextAsync());
        (await newKey.PutAsync("api/v1/customers/r1", Json("{}"), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Expect(Page.GetByTestId("curl-example")).ToContainTextAsync("api/v1/customers/person@example.com");
    }

    [Fact]
    public async Task AnEditorCannotOpenTheSettingsAndSeesTheSiteIdButNotTheKeys()
    {
        await AddOperatorAsync("editor@example.test", OperatorRoles.Editor);
        await SignInAsync("editor@example.test");

        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Workspace settings" })).ToHaveCountAsync(0);
        await Page.GotoAsync("/settings");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("settings-editor-denied");

        await OpenAsync("/settings/api");
        await Expect(Page.GetByTestId("site-id")).ToHaveTextAsync(SiteId);
        await Expect(Page.GetByTestId("keys-hidden-notice")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Reveal keys" })).ToHaveCountAsync(0);
        await Expect(Page.GetByText(TrackKey)).ToHaveCountAsync(0);
    }
}

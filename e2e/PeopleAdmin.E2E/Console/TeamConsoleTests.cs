using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

public sealed class TeamConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private const string AdminEmail = "admin@example.test";
    private const string EditorEmail = "new-editor@example.test";
    private const string EditorsOwnPassword = "the editor's own passphrase";

    [Fact]
    public async Task AnAdminAddsAnEditorWhoChoosesAPasswordEditsAPersonCannotOpenSettingsAndLosesAccessWhenDeactivated()
    {
        var cioId = await IdentifyAsync(await DefaultWorkspaceIdAsync(), "plan-person@example.test", ("plan", "basic"));
        await AddOperatorAsync(AdminEmail, OperatorRoles.Admin);
        await SignInAsync(AdminEmail);
        await OpenAsync("/team");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add operator" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync(EditorEmail);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add operator" }).ClickAsync();
        var oneTimePassword = await Page.GetByTestId("shown-once-secret").InnerTextAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = EditorEmail })).ToContainTextAsync("One-time password");
        await KeepScreenshotAsync("team-operator-added");

        await using var editorContext = await Context.Browser!.NewContextAsync(new() { BaseURL = BaseAddress.ToString() });
        var editor = await editorContext.NewPageAsync();
        await editor.GotoAsync("Account/Login");
        await editor.GetByLabel("Email").FillAsync(EditorEmail);
        await editor.GetByLabel("Password", new() { Exact = true }).FillAsync(oneTimePassword);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(editor.GetByTestId("password-change-required")).ToBeVisibleAsync();
        await KeepScreenshotAsync(editor, "team-one-time-password-change");
        await editor.GotoAsync("people");
        await Expect(editor).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("Account/Manage/ChangePassword"));
        await editor.GetByLabel("Current password").FillAsync(oneTimePassword);
        await editor.GetByLabel("New password", new() { Exact = true }).FillAsync(EditorsOwnPassword);
        await editor.GetByLabel("Confirm new password").FillAsync(EditorsOwnPassword);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(editor).ToHaveURLAsync(BaseAddress.ToString());

        await editor.GotoAsync($"people/{cioId}");
        await editor.Locator("[data-interactive='true']").WaitForAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Edit plan" }).ClickAsync();
        await editor.GetByLabel("plan value").FillAsync("pro");
        await editor.GetByTestId("attribute-plan").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(editor.GetByTestId("attribute-plan")).ToContainTextAsync("pro");
        await Expect(editor.GetByRole(AriaRole.Link, new() { Name = "Workspace settings" })).ToHaveCountAsync(0);
        await Expect(editor.GetByRole(AriaRole.Link, new() { Name = "Team" })).ToHaveCountAsync(0);
        await editor.GotoAsync("settings");
        await Expect(editor.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();

        await editor.GotoAsync("people");
        await editor.Locator("[data-interactive='true']").WaitForAsync();
        await Page.ReloadAsync();
        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {EditorEmail}" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("signed out of every open page now");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = EditorEmail })).ToContainTextAsync("Deactivated");
        await KeepScreenshotAsync("team-operator-deactivated");

        // The Editor's open page loses access without any action of theirs: the circuit signs them out.
        await Expect(editor).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("Account/Login"));
        await editor.GetByLabel("Email").FillAsync(EditorEmail);
        await editor.GetByLabel("Password", new() { Exact = true }).FillAsync(EditorsOwnPassword);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(editor.GetByText("The email or password is not right.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AViewersTokenReadsThroughTheManagementApiAndIsRefusedOnAChange()
    {
        var ct = TestContext.Current.CancellationToken;
        await AddOperatorAsync("viewer@example.test", OperatorRoles.Viewer);
        await SignInAsync("viewer@example.test");
        await OpenAsync("/account/tokens");
        await Expect(Page.GetByTestId("tokens-empty")).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "New token" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByLabel("Token name").FillAsync("reporting script");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var token = await Page.GetByTestId("shown-once-secret").InnerTextAsync();
        await Expect(Page.GetByRole(AriaRole.Cell, new() { Name = "reporting script", Exact = true })).ToBeVisibleAsync();
        await KeepScreenshotAsync("tokens-created");

        using var api = new HttpClient { BaseAddress = BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var read = await api.GetAsync(new Uri("api/admin/v1/workspaces", UriKind.Relative), ct);
        using var change = await api.PutAsync(
            new Uri($"api/admin/v1/workspaces/{await DefaultWorkspaceIdAsync()}/settings", UriKind.Relative), Json("""{"rate_limit_per_second": 5}"""), ct);

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        change.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await change.Content.ReadAsStringAsync(ct)).ShouldContain("Viewer");
        (await People.GetSettingsAsync(await DefaultWorkspaceIdAsync(), ct))!.RateLimitPerSecond.ShouldBeNull();

        await Page.ReloadAsync();
        await WaitForInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "reporting script" })).Not.ToContainTextAsync("never");
    }

    [Fact]
    public async Task TheAuditTrailFiltersByKindAndExportsWhatItShows()
    {
        await SignInAsync();
        await OpenAsync("/workspaces");
        await Page.GetByRole(AriaRole.Button, new() { Name = "New workspace" }).ClickAsync();
        await Page.GetByLabel("Workspace name").FillAsync("Audited");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Cell, new() { Name = "Audited", Exact = true })).ToBeVisibleAsync();

        await OpenAsync("/audit?kind=Workspaces");
        var entries = Page.GetByTestId("audit-entries");
        await Expect(entries).ToContainTextAsync("workspace.created");
        await Expect(entries).ToContainTextAsync(OwnerEmail);
        await Expect(entries).Not.ToContainTextAsync("operator.signed-in");
        await KeepScreenshotAsync("audit-workspaces");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        csv.ShouldStartWith("at_utc,action,operator,detail,remote_address");
        csv.ShouldContain("workspace.created");
        csv.ShouldNotContain("operator.signed-in");
    }

    private async Task KeepScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(Config.RepositoryRoot, Config.ArtifactsDir, "screens");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }
}

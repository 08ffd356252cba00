using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Components.Layout;
using PeopleAdmin.Web.Features.Audit;
using PeopleAdmin.Web.Features.Settings;
using PeopleAdmin.Web.Features.Team;
using PeopleAdmin.Web.Features.Tokens;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Team;

public sealed class TeamComponentTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public void AnEditorSeesNoLinkToSettingsTheTeamOrTheAuditTrail()
    {
        SignIn("editor@example.test", "CanEditPeople");

        var links = Render<NavMenu>().FindAll("a").Select(a => a.TextContent.Trim()).ToList();

        links.ShouldContain("People");
        links.ShouldNotContain("Workspace settings");
        links.ShouldNotContain("Team");
        links.ShouldNotContain("Audit trail");
    }

    [Fact]
    public void AnAdminSeesSettingsTheTeamAndTheAuditTrail()
    {
        SignIn("admin@example.test", "CanEditPeople", "CanManageSettings", "CanManageOperators");

        var links = Render<NavMenu>().FindAll("a").Select(a => a.TextContent.Trim()).ToList();

        links.ShouldContain("Workspace settings");
        links.ShouldContain("Team");
        links.ShouldContain("Audit trail");
    }

    [Fact]
    public async Task AnAdminSeesNoActionsOnAnOwnerAndCannotDeactivateOrRemoveThemselves()
    {
        await AddOperatorAsync("owner@example.test", OperatorRoles.Owner);
        var adminId = await AddOperatorAsync("admin@example.test", OperatorRoles.Admin);
        await AddOperatorAsync("editor@example.test", OperatorRoles.Editor);
        SignInAs(adminId, "admin@example.test");
        var popovers = RenderPopoverProvider();

        var page = Render<TeamPage>();
        page.WaitForAssertion(() => page.FindAll("tbody tr").Count.ShouldBe(3));

        page.FindAll("button[aria-label='Actions for owner@example.test']").ShouldBeEmpty();
        page.Find("button[aria-label='Actions for editor@example.test']").ShouldNotBeNull();
        page.FindAll("tbody tr").Single(r => r.TextContent.Contains("admin@example.test")).TextContent.ShouldContain("you");
        page.Find("button[aria-label='Actions for admin@example.test']").Click();
        popovers.WaitForAssertion(() => popovers.Find(".mud-popover-open").TextContent.ShouldContain("Change role"));
        var ownActions = popovers.Find(".mud-popover-open").TextContent;
        ownActions.ShouldContain("Reset password");
        ownActions.ShouldNotContain("Deactivate");
        ownActions.ShouldNotContain("Remove");
    }

    [Fact]
    public async Task TheTeamShowsADeactivatedOperatorsStatus()
    {
        var ownerId = await AddOperatorAsync("owner@example.test", OperatorRoles.Owner);
        var editorId = await AddOperatorAsync("editor@example.test", OperatorRoles.Editor);
        await Services.GetRequiredService<TeamService>().DeactivateAsync(new TeamActor(ownerId, "owner@example.test", null), editorId, Ct);
        SignInAs(ownerId, "owner@example.test");

        var page = Render<TeamPage>();

        page.WaitForAssertion(() => page.FindAll("tbody tr").Single(r => r.TextContent.Contains("editor@example.test")).TextContent.ShouldContain("Deactivated"));
    }

    [Fact]
    public async Task TheTokensPageSaysWhatToDoWithoutTokens()
    {
        var viewerId = await AddOperatorAsync("viewer@example.test", OperatorRoles.Viewer);
        SignInAs(viewerId, "viewer@example.test", viewer: true);

        var page = Render<TokensPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='tokens-empty']").TextContent.ShouldContain("Create one"));
        page.Markup.ShouldContain("changes are refused");
    }

    [Fact]
    public async Task TheTokensPageListsTokensWithoutTheirSecret()
    {
        var viewerId = await AddOperatorAsync("viewer@example.test", OperatorRoles.Viewer);
        SignInAs(viewerId, "viewer@example.test", viewer: true);
        var created = await Services.GetRequiredService<PersonalTokens>().CreateAsync(viewerId, "nightly report", DateTime.UtcNow.AddDays(7), Ct);

        var page = Render<TokensPage>();

        page.WaitForAssertion(() => page.Find("tbody tr").TextContent.ShouldContain("nightly report"));
        page.Find("tbody tr").TextContent.ShouldContain("never");
        page.Markup.ShouldNotContain(created.Value!.Secret);
    }

    [Fact]
    public async Task TheAuditPageShowsOnlyTheKindInTheQueryString()
    {
        var audit = Services.GetRequiredService<AuditTrail>();
        await audit.RecordAsync(AuditActions.SignedIn, "owner@example.test", null, "192.0.2.1", Ct);
        await audit.RecordAsync(AuditActions.WorkspaceCreated, "owner@example.test", "Second (site id abc)", "192.0.2.1", Ct);
        SignIn("owner@example.test", "CanManageOperators");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?kind=Workspaces");

        var page = Render<AuditPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='audit-entries']").TextContent.ShouldContain("workspace.created"));
        page.Find("[data-testid='audit-entries']").TextContent.ShouldNotContain("operator.signed-in");
        page.Find("[data-testid='audit-count']").TextContent.ShouldContain("of 1");
        page.Find("a[download]").GetAttribute("href")!.ShouldContain("/audit/export.csv?kind=Workspaces");
    }

    [Fact]
    public async Task SettingsCredentialsAndWorkspaceChangesAreRecordedWithTheOperator()
    {
        SignIn("admin@example.test", "CanEditPeople", "CanManageSettings");
        var settings = Services.GetRequiredService<SettingsConsole>();
        var workspaces = Services.GetRequiredService<WorkspacesConsole>();
        var saved = await settings.GetAsync(WorkspaceId, Ct);
        var edited = saved.Clone();
        edited.RateLimitPerSecond = 25;

        await settings.SaveAsync(WorkspaceId, saved, edited, Ct);
        var created = await workspaces.CreateAsync("Second", Ct);
        await workspaces.RotateAsync(created.Value!.Workspace.Id, Ct);
        await workspaces.RenameAsync(created.Value.Workspace.Id, "Renamed", Ct);
        await workspaces.DeleteAsync(created.Value.Workspace.Id, Ct);

        var entries = (await Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery("admin@example.test"), 0, 50, Ct)).Entries;
        entries.Select(e => e.Action).ShouldBe(
        [
            AuditActions.WorkspaceDeleted, AuditActions.WorkspaceRenamed, AuditActions.CredentialsRotated,
            AuditActions.WorkspaceCreated, AuditActions.SettingsChanged,
        ]);
        entries[^1].Detail.ShouldBe($"workspace {WorkspaceId}: rate limit 25");
    }

    [Fact]
    public async Task ARefusedSettingsChangeRecordsNothing()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var settings = Services.GetRequiredService<SettingsConsole>();
        var saved = await settings.GetAsync(WorkspaceId, Ct);
        var edited = saved.Clone();
        edited.RateLimitPerSecond = 25;

        await settings.SaveAsync(WorkspaceId, saved, edited, Ct);

        (await Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(), 0, 10, Ct)).Total.ShouldBe(0);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData(null, "")]
    public void ACsvFieldIsQuotedWhenItMustBeAndAFormulaIsDefused(string? value, string expected) =>
        AuditExport.Field(value).ShouldBe(expected);

    private void SignInAs(string id, string email, bool viewer = false)
    {
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(viewer ? OperatorRoles.Viewer : OperatorRoles.Owner);
        Authorization.SetPolicies(viewer ? ["CanViewPeople"] : ["CanViewPeople", "CanEditPeople", "CanManageSettings", "CanManageOperators"]);
        // Last: the role and policy calls above drop claims set before them.
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, id));
    }
}

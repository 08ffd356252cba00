using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Settings;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Settings;

public sealed class SettingsRolesTests : ConsoleTestContext
{
    private SettingsConsole Settings => Services.GetRequiredService<SettingsConsole>();

    [Fact]
    public async Task AnEditorsForgedSaveIsRefusedOnTheServerAndChangesNothing()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var saved = await Settings.GetAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken);
        var edited = saved.Clone();
        edited.AllowEmailUpdatesById = true;

        var result = await Settings.SaveAsync(WorkspaceId, saved, edited, Xunit.TestContext.Current.CancellationToken);

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Message.ShouldContain("Only Admins and the Owner");
        (await Settings.GetAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken)).AllowEmailUpdatesById.ShouldBeFalse();
        (await Settings.HistoryAsync(WorkspaceId, 10, Xunit.TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnEditorCannotRevealOrRotateKeys()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var workspaces = Services.GetRequiredService<WorkspacesConsole>();

        (await workspaces.RevealKeysAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken)).Succeeded.ShouldBeFalse();
        (await workspaces.RotateAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken)).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task AViewersForgedWorkspaceChangesAreRefusedAndChangeNothing()
    {
        SignIn("viewer@example.test");
        var workspaces = Services.GetRequiredService<WorkspacesConsole>();

        var created = await workspaces.CreateAsync("Forged", Xunit.TestContext.Current.CancellationToken);
        var renamed = await workspaces.RenameAsync(WorkspaceId, "Forged", Xunit.TestContext.Current.CancellationToken);
        var deleted = await workspaces.DeleteAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken);

        new[] { created.Succeeded, renamed.Succeeded, deleted.Succeeded }.ShouldAllBe(succeeded => !succeeded);
        var all = await workspaces.ListAsync(Xunit.TestContext.Current.CancellationToken);
        all.ShouldHaveSingleItem().Name.ShouldBe("Main");
    }

    [Fact]
    public async Task AnAdminsSaveIsRecordedWithTheirEmailFromAndTo()
    {
        SignIn("admin@example.test", "CanEditPeople", "CanManageSettings");
        var saved = await Settings.GetAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken);
        var edited = saved.Clone();
        edited.RateLimitPerSecond = 25;

        var result = await Settings.SaveAsync(WorkspaceId, saved, edited, Xunit.TestContext.Current.CancellationToken);

        result.Status.ShouldBe(OperationStatus.Applied);
        var history = await Settings.HistoryAsync(WorkspaceId, 10, Xunit.TestContext.Current.CancellationToken);
        history.ShouldHaveSingleItem().Actor.ShouldBe("admin@example.test");
        history[0].To.ShouldBe("25");
    }

    [Fact]
    public async Task BlockingAValueSomeoneHoldsIsRefusedNamingThem()
    {
        SignIn("admin@example.test", "CanEditPeople", "CanManageSettings");
        var holder = await IdentifyAsync("test");
        var saved = await Settings.GetAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken);
        var edited = saved.Clone();
        edited.BlockedIdentifierValues.Add("TEST");

        var result = await Settings.SaveAsync(WorkspaceId, saved, edited, Xunit.TestContext.Current.CancellationToken);

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        result.Error.Conflicts.ShouldContain(c => c.CioId == holder);
        (await Settings.GetAsync(WorkspaceId, Xunit.TestContext.Current.CancellationToken)).BlockedIdentifierValues.ShouldNotContain("TEST");
    }
}

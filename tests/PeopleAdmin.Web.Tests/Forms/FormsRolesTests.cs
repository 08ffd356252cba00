using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Forms;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Forms;

/// <summary>The Forms page's changes are checked on the server: a Viewer's forged call changes nothing.</summary>
public sealed class FormsRolesTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    // The HTML example's public address plays no part in these checks.
    private FormsConsole Console => new(Services.GetRequiredService<FormsService>(), Services.GetRequiredService<PeopleService>(), Services.GetRequiredService<OperatorAccess>(), null!);

    private FormsService Forms => Services.GetRequiredService<FormsService>();

    [Fact]
    public async Task AViewersForgedCreateUpdateAndDeleteAreRefusedAndChangeNothing()
    {
        var (id, _) = await Forms.CreateAsync(new OperationContext(WorkspaceId, Sources.Ui), "Newsletter", null, Ct);
        SignIn("viewer@example.test");

        var created = await Console.CreateAsync(WorkspaceId, "Another", null, Ct);
        var updated = await Console.UpdateAsync(WorkspaceId, id!.Value, new FormChange("Renamed", false, null, []), Ct);
        var deleted = await Console.DeleteAsync(WorkspaceId, id.Value, Ct);

        created.Error!.Message.ShouldBe("Only Editors, Admins and the Owner can change forms.");
        updated!.Message.ShouldBe("Only Editors, Admins and the Owner can change forms.");
        deleted!.Message.ShouldBe("Only Editors, Admins and the Owner can change forms.");
        (await Forms.ListAsync(WorkspaceId, Ct)).Select(f => (f.Name, f.Enabled)).ShouldBe([("Newsletter", true)]);
    }

    [Fact]
    public async Task AnEditorCreatesAndDeletesAForm()
    {
        SignIn("editor@example.test", "CanEditPeople");

        var (id, error) = await Console.CreateAsync(WorkspaceId, "Newsletter", null, Ct);
        error.ShouldBeNull();
        (await Forms.ListAsync(WorkspaceId, Ct)).Single().FormId.ShouldBe("newsletter");
        (await Console.DeleteAsync(WorkspaceId, id!.Value, Ct)).ShouldBeNull();

        (await Forms.ListAsync(WorkspaceId, Ct)).ShouldBeEmpty();
    }
}

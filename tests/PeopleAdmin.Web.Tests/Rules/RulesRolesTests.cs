using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Rules;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Rules;

/// <summary>Rules are created and changed by Admins and the Owner only, checked on the server: an Editor's forged call changes nothing.</summary>
public sealed class RulesRolesTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static readonly RuleDefinition Hook = new("hook", null, null, "email", "{{ webhook.email }}", new Dictionary<string, string> { ["plan"] = "pro" });

    // The webhook URL's public address plays no part in these checks.
    private RulesConsole Console => new(Services.GetRequiredService<RulesService>(), Services.GetRequiredService<OperatorAccess>(), null!);

    private RulesService Rules => Services.GetRequiredService<RulesService>();

    [Fact]
    public async Task AnEditorsForgedSaveRotateAndDeleteAreRefusedAndChangeNothing()
    {
        // Arrange
        var (rule, _) = await Rules.CreateAsync(WorkspaceId, Hook, Ct);
        SignIn("editor@example.test", "CanEditPeople");

        // Act
        var created = await Console.SaveAsync(WorkspaceId, null, Hook with { Name = "another" }, Ct);
        var changed = await Console.SaveAsync(WorkspaceId, rule!.Id, Hook with { Name = "renamed" }, Ct);
        var rotated = await Console.RotateAsync(WorkspaceId, rule.Id, Ct);
        var deleted = await Console.DeleteAsync(WorkspaceId, rule.Id, Ct);

        // Assert
        foreach (var error in new[] { created.Error, changed.Error, rotated, deleted })
        {
            error!.Message.ShouldBe("Only Admins and the Owner can change rules.");
        }

        var kept = (await Rules.GetAsync(WorkspaceId, rule.Id, Ct))!;
        (kept.Definition.Name, kept.WebhookToken).ShouldBe(("hook", rule.WebhookToken));
        (await Rules.ListAsync(WorkspaceId, Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnAdminCreatesRotatesAndDeletesARuleAndTheAuditTrailRecordsEachChange()
    {
        // Arrange
        SignIn("admin@example.test", "CanEditPeople", "CanManageSettings");

        // Act
        var (rule, error) = await Console.SaveAsync(WorkspaceId, null, Hook, Ct);
        var rotated = await Console.RotateAsync(WorkspaceId, rule!.Id, Ct);
        var deleted = await Console.DeleteAsync(WorkspaceId, rule.Id, Ct);

        // Assert
        (error, rotated, deleted).ShouldBe((null, null, null));
        (await Rules.ListAsync(WorkspaceId, Ct)).ShouldBeEmpty();
        var audit = await Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(Kind: "Rules"), 0, 10, Ct);
        audit.Entries.Select(e => (e.Action, e.Actor)).Reverse().ShouldBe(
            [(AuditActions.RuleCreated, "admin@example.test"), (AuditActions.WebhookRotated, "admin@example.test"), (AuditActions.RuleDeleted, "admin@example.test")]);
    }
}

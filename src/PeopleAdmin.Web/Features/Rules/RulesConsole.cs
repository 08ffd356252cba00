using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Rules;

/// <summary>What the Rules page reads and changes; only Admins and the Owner change rules, checked on the server side of every change.</summary>
internal sealed class RulesConsole(RulesService rules, OperatorAccess access, PublicAddress address)
{
    public const string EditPolicy = Policies.CanManageSettings;

    private static readonly RequestError NotAllowed = new(ErrorKind.Invalid, "rule", "Only Admins and the Owner can change rules.");

    public Task<bool> CanEditAsync() => access.AllowsAsync(EditPolicy);

    public Task<IReadOnlyList<RuleSummary>> ListAsync(int workspaceId, CancellationToken ct) => rules.ListAsync(workspaceId, ct);

    public Task<RuleDetails?> GetAsync(int workspaceId, long id, CancellationToken ct) => rules.GetAsync(workspaceId, id, ct);

    public Task<IReadOnlyList<RuleRunDetails>> RunsAsync(int workspaceId, long id, CancellationToken ct) => rules.RunsAsync(workspaceId, id, ct);

    public string WebhookUrl(string token) => RulesApi.WebhookUrl(address, token);

    /// <summary>Creates the rule (no id) or changes it, recorded in the audit trail; answers the saved rule or what is wrong.</summary>
    public async Task<(RuleDetails? Rule, RequestError? Error)> SaveAsync(int workspaceId, long? id, RuleDefinition definition, CancellationToken ct)
    {
        if (!await CanEditAsync())
        {
            return (null, NotAllowed);
        }

        var (rule, error) = id is { } existing ? await rules.UpdateAsync(workspaceId, existing, definition, ct) : await rules.CreateAsync(workspaceId, definition, ct);
        if (rule is not null)
        {
            await access.RecordAsync(id is null ? AuditActions.RuleCreated : AuditActions.RuleChanged, Describe(workspaceId, rule.Id, rule.Definition.Name), ct);
        }

        return (rule, error);
    }

    public async Task<RequestError?> RotateAsync(int workspaceId, long id, CancellationToken ct)
    {
        if (!await CanEditAsync())
        {
            return NotAllowed;
        }

        if (!await rules.RotateWebhookTokenAsync(workspaceId, id, ct))
        {
            return new RequestError(ErrorKind.NotFound, "rule", "This rule has no webhook to rotate.");
        }

        await access.RecordAsync(AuditActions.WebhookRotated, Describe(workspaceId, id, null), ct);
        return null;
    }

    public async Task<RequestError?> DeleteAsync(int workspaceId, long id, CancellationToken ct)
    {
        if (!await CanEditAsync())
        {
            return NotAllowed;
        }

        if (!await rules.DeleteAsync(workspaceId, id, ct))
        {
            return new RequestError(ErrorKind.NotFound, "rule", "The rule was already deleted.");
        }

        await access.RecordAsync(AuditActions.RuleDeleted, Describe(workspaceId, id, null), ct);
        return null;
    }

    internal static string Describe(int workspaceId, long id, string? name) => $"workspace {workspaceId}: rule {id}{(name is null ? "" : $" ({name})")}";
}

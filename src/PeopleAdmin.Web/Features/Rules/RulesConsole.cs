using PeopleAdmin.Core.Actions;
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

    /// <summary>Creates the rule (no id) or changes it; answers the saved rule or what is wrong.</summary>
    public async Task<(RuleDetails? Rule, RequestError? Error)> SaveAsync(int workspaceId, long? id, RuleDefinition definition, CancellationToken ct) =>
        !await CanEditAsync() ? (null, NotAllowed)
        : id is { } existing ? await rules.UpdateAsync(workspaceId, existing, definition, ct)
        : await rules.CreateAsync(workspaceId, definition, ct);

    public async Task<RequestError?> RotateAsync(int workspaceId, long id, CancellationToken ct) =>
        !await CanEditAsync() ? NotAllowed
        : await rules.RotateWebhookTokenAsync(workspaceId, id, ct) ? null
        : new RequestError(ErrorKind.NotFound, "rule", "This rule has no webhook to rotate.");

    public async Task<RequestError?> DeleteAsync(int workspaceId, long id, CancellationToken ct) =>
        !await CanEditAsync() ? NotAllowed
        : await rules.DeleteAsync(workspaceId, id, ct) ? null
        : new RequestError(ErrorKind.NotFound, "rule", "The rule was already deleted.");
}

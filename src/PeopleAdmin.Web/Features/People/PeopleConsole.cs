using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.People;

/// <summary>
/// Every change the People page makes, through the identity service with source <c>ui</c> and the operator as actor,
/// on the current workspace; the role check happens here, on the server, before anything is submitted.
/// </summary>
public sealed class PeopleConsole(PeopleService people, CurrentWorkspace current, OperatorAccess access, AuditTrail audit)
{
    public const string EditPolicy = Policies.CanEditPeople;

    public Task<bool> CanEditAsync() => access.AllowsAsync(EditPolicy);

    public async Task<WorkspaceSettings> SettingsAsync(int workspaceId) =>
        await people.GetSettingsAsync(workspaceId, CancellationToken.None)
        ?? throw new InvalidOperationException($"Workspace {workspaceId} does not exist.");

    public async Task<PersonDetails?> GetAsync(string cioId, CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await people.GetPersonAsync(workspace.Id, PersonReference.ForCioId(cioId), cancellationToken);
    }

    public async Task<ActivityPage> ActivityAsync(string cioId, IReadOnlyList<string>? types, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await people.GetActivityAsync(new ActivityQuery(workspace.Id, cioId, types, limit, cursor), cancellationToken);
    }

    /// <summary>The newest entries of the current workspace's activity log, everyone's.</summary>
    public async Task<ActivityPage> WorkspaceActivityAsync(int limit, CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await people.GetActivityAsync(new ActivityQuery(workspace.Id, null, null, limit, null), cancellationToken);
    }

    /// <summary>Adds a person, never updating anyone: an identifier someone holds refuses the whole add.</summary>
    public Task<OperationResult> AddAsync(string? id, string? email, IReadOnlyDictionary<string, AttributeValue> attributes, CancellationToken cancellationToken) =>
        ExecuteAsync(new AddPersonOperation(id, email, attributes), cancellationToken);

    /// <summary>Changes attributes and identifiers of the person the profile has open, referenced by cio_id.</summary>
    public Task<OperationResult> UpdateAsync(string cioId, IReadOnlyDictionary<string, AttributeValue> changes, CancellationToken cancellationToken) =>
        ExecuteAsync(new IdentifyOperation(PersonReference.ForCioId(cioId), changes), cancellationToken);

    public Task<OperationResult> DeleteAsync(string cioId, CancellationToken cancellationToken) =>
        ExecuteAsync(new DeletePersonOperation(PersonReference.ForCioId(cioId)), cancellationToken);

    public Task<OperationResult> SuppressAsync(string cioId, CancellationToken cancellationToken) =>
        ExecuteAsync(new SuppressOperation(PersonReference.ForCioId(cioId)), cancellationToken);

    /// <summary>What merging the second into the first would do; nothing is written.</summary>
    public async Task<MergePreview> PreviewMergeAsync(string primaryCioId, string secondaryCioId, CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await people.PreviewMergeAsync(workspace.Id, PersonReference.ForCioId(primaryCioId), PersonReference.ForCioId(secondaryCioId), cancellationToken);
    }

    /// <summary>Merges the secondary into the primary (both by cio_id), recorded in the audit trail.</summary>
    public Task<OperationResult> MergeAsync(string primaryCioId, string secondaryCioId, CancellationToken cancellationToken) =>
        ExecuteAsync(new MergeOperation(PersonReference.ForCioId(primaryCioId), PersonReference.ForCioId(secondaryCioId)), cancellationToken,
            (AuditActions.PeopleMerged, result => $"cio_{secondaryCioId} merged into cio_{primaryCioId} (merge {result.RecordId})"));

    /// <summary>The merges a person took part in, newest first.</summary>
    public async Task<IReadOnlyList<MergeSummary>> MergesAsync(string cioId, CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await people.ListMergesAsync(workspace.Id, cioId, cancellationToken);
    }

    /// <summary>Restores a merge's secondary, or answers the service's refusal (<see cref="ErrorKind.Conflict"/>) in words.</summary>
    public Task<OperationResult> UndoMergeAsync(long mergeId, CancellationToken cancellationToken) =>
        ExecuteAsync(new UndoMergeOperation(mergeId), cancellationToken,
            (AuditActions.MergeUndone, result => $"merge {mergeId} undone, cio_{result.CioId} restored"));

    public async Task<SuppressionPage> SuppressionsAsync(string? search, int skip, int take, CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await people.SearchSuppressionsAsync(workspace.Id, search, skip, take, cancellationToken);
    }

    /// <summary>Takes a suppressed identifier's whole group off the list.</summary>
    public Task<OperationResult> UnsuppressAsync(SuppressionEntry entry, CancellationToken cancellationToken) =>
        ExecuteAsync(new UnsuppressOperation(entry.Kind == IdentifierKind.Email ? PersonReference.ForEmail(entry.Value) : PersonReference.ForId(entry.Value)), cancellationToken,
            (AuditActions.Unsuppressed, _ => $"{(entry.Kind == IdentifierKind.Email ? "email" : "id")} {entry.Value} and its group taken off the suppression list"));

    private async Task<OperationResult> ExecuteAsync(
        PeopleOperation operation, CancellationToken cancellationToken, (string Action, Func<OperationResult, string> Detail)? audited = null)
    {
        if (!await CanEditAsync())
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "operator", "Viewers cannot change people: ask an Editor, an Admin or the Owner.");
        }

        var workspace = await current.GetAsync(cancellationToken);
        var actor = await access.ActorAsync();
        var result = await people.ExecuteAsync(new OperationContext(workspace.Id, Sources.Ui, actor), operation, cancellationToken);
        if (audited is var (action, detail) && result.Status == OperationStatus.Applied)
        {
            await audit.RecordAsync(action, actor, $"workspace {workspace.Id}: {detail(result)}", null, cancellationToken);
        }

        return result;
    }
}

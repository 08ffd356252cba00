using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.People;

/// <summary>
/// Every change the People page makes, through the identity service with source <c>ui</c> and the operator as actor,
/// on the current workspace; the role check happens here, on the server, before anything is submitted.
/// </summary>
public sealed class PeopleConsole(PeopleService people, CurrentWorkspace current, OperatorAccess access)
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

    private async Task<OperationResult> ExecuteAsync(PeopleOperation operation, CancellationToken cancellationToken)
    {
        if (!await CanEditAsync())
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "operator", "Viewers cannot change people: ask an Editor, an Admin or the Owner.");
        }

        var workspace = await current.GetAsync(cancellationToken);
        var context = new OperationContext(workspace.Id, Sources.Ui, await access.ActorAsync());
        return await people.ExecuteAsync(context, operation, cancellationToken);
    }
}

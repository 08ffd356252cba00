using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Features.Workspaces;

/// <summary>
/// Workspace management and credentials for the console: the role check happens here, on the server, before
/// <see cref="WorkspaceService"/> is called; the current workspace follows every change.
/// </summary>
public sealed class WorkspacesConsole(WorkspaceService workspaces, OperatorAccess access, CurrentWorkspace current)
{
    public const string ManagePolicy = Policies.CanManageSettings;

    public Task<bool> CanManageAsync() => access.AllowsAsync(ManagePolicy);

    public Task<IReadOnlyList<WorkspaceSummary>> ListAsync(CancellationToken cancellationToken) => workspaces.ListAsync(cancellationToken);

    public async Task<WorkspaceResult<CreatedWorkspace>> CreateAsync(string name, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync())
        {
            return Forbidden<CreatedWorkspace>("create workspaces");
        }

        var result = await workspaces.CreateAsync(name, settings: null, cancellationToken);
        if (result.Value is { } created)
        {
            await access.RecordAsync(AuditActions.WorkspaceCreated, $"{created.Workspace.Name} (site id {created.Workspace.SiteId})", cancellationToken);
        }

        await current.RefreshAsync(cancellationToken);
        return result;
    }

    public async Task<WorkspaceResult<WorkspaceSummary>> RenameAsync(int workspaceId, string name, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync())
        {
            return Forbidden<WorkspaceSummary>("rename workspaces");
        }

        var result = await workspaces.RenameAsync(workspaceId, name, cancellationToken);
        if (result.Value is { } renamed)
        {
            await access.RecordAsync(AuditActions.WorkspaceRenamed, $"workspace {workspaceId} to {renamed.Name}", cancellationToken);
        }

        await current.RefreshAsync(cancellationToken);
        return result;
    }

    public async Task<WorkspaceResult<WorkspaceSummary>> DeleteAsync(int workspaceId, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync())
        {
            return Forbidden<WorkspaceSummary>("delete workspaces");
        }

        var all = await workspaces.ListAsync(cancellationToken);
        if (all.Count <= 1)
        {
            return new WorkspaceResult<WorkspaceSummary>(null, new RequestError(ErrorKind.Conflict, "workspace", "This is the only workspace; create another one before deleting it."));
        }

        var result = await workspaces.DeleteAsync(workspaceId, cancellationToken);
        if (result.Value is { } deleted)
        {
            await access.RecordAsync(AuditActions.WorkspaceDeleted, $"{deleted.Name} (workspace {workspaceId})", cancellationToken);
        }

        await current.RefreshAsync(cancellationToken);
        return result;
    }

    public Task<WorkspaceResult<WorkspaceKeys>> RevealKeysAsync(int workspaceId, CancellationToken cancellationToken) =>
        CredentialsAsync(workspaceId, "see API keys", AuditActions.CredentialsRevealed, workspaces.RevealKeysAsync, cancellationToken);

    public Task<WorkspaceResult<WorkspaceKeys>> RotateAsync(int workspaceId, CancellationToken cancellationToken) =>
        CredentialsAsync(workspaceId, "rotate API keys", AuditActions.CredentialsRotated, workspaces.RotateCredentialsAsync, cancellationToken);

    private async Task<WorkspaceResult<WorkspaceKeys>> CredentialsAsync(
        int workspaceId, string what, string action, Func<int, CancellationToken, Task<WorkspaceResult<WorkspaceKeys>>> run, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync())
        {
            return Forbidden<WorkspaceKeys>(what);
        }

        var result = await run(workspaceId, cancellationToken);
        if (result.Value is { } keys)
        {
            await access.RecordAsync(action, $"workspace {workspaceId} (site id {keys.SiteId})", cancellationToken);
        }

        return result;
    }

    private static WorkspaceResult<T> Forbidden<T>(string what)
        where T : class =>
        new(null, new RequestError(ErrorKind.Invalid, "operator", $"Only Admins and the Owner can {what}."));
}

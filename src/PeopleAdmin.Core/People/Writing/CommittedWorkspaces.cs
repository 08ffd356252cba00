using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Writing;

/// <summary>
/// The workspaces as the writer's last successful transaction left them, so that a transaction need not query each
/// one anew through EF Core (about a millisecond, every transaction). The writer is the only one that changes what it
/// uses of a workspace (settings, the cio_id counter); what others change (name, keys) it never writes back, because
/// only modified properties are saved. A transaction still checks, with one prepared read, that the row exists and
/// that its counter is the remembered one. Anything rolled back forgets everything.
/// </summary>
internal sealed class CommittedWorkspaces
{
    private readonly Dictionary<int, Workspace> _workspaces = [];

    public bool TryGet(int id, out Workspace workspace) => _workspaces.Remove(id, out workspace!);

    public void Remember(IEnumerable<Workspace> workspaces)
    {
        foreach (var workspace in workspaces)
        {
            _workspaces[workspace.Id] = workspace;
        }
    }

    public void Forget() => _workspaces.Clear();
}

using PeopleAdmin.Core.BulkActions;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.BulkActions;

/// <summary>
/// The People page's bulk actions on the current workspace. Only roles that may edit people start one: the check is
/// here, on the server, whatever the page shows.
/// </summary>
internal sealed class BulkActionsConsole(BulkActionService bulk, CurrentWorkspace current, OperatorAccess access)
{
    public const int Recent = 5;

    /// <summary>The queued action, or why it was not started.</summary>
    public async Task<(BulkActionJob? Job, string? Problem)> StartAsync(BulkActionRequestDraft draft, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(Policies.CanEditPeople))
        {
            return (null, "Viewers cannot change people: ask an Editor, an Admin or the Owner.");
        }

        var workspace = await current.GetAsync(cancellationToken);
        var request = new BulkActionRequest(draft.Kind, draft.Target, draft.Description, await access.ActorAsync(), draft.SegmentId, draft.SegmentName);
        var job = await bulk.StartAsync(workspace.Id, request, cancellationToken);
        return job is null
            ? (null, $"{BulkActionService.QueueCapacity} bulk actions are already waiting; try again when some are done.")
            : (job, null);
    }

    public async Task<IReadOnlyList<BulkActionJob>> RecentAsync(CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return bulk.Recent(workspace.Id, Recent);
    }
}

/// <summary>What the People page asks for, before the console adds the operator.</summary>
internal sealed record BulkActionRequestDraft(Core.People.BulkActionKind Kind, BulkActionTarget Target, string Description, int? SegmentId = null, string? SegmentName = null);

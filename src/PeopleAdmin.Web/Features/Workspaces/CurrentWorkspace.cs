using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Web.Features.Workspaces;

/// <summary>A workspace as the console lists it.</summary>
public sealed record WorkspaceChoice(int Id, string Name, string SiteId);

/// <summary>
/// The workspace every page of one circuit works on: the operator's saved choice
/// (<c>Operator.SelectedWorkspaceId</c>), else the first workspace. Switching saves the choice for the operator.
/// </summary>
public sealed class CurrentWorkspace(IDbContextFactory<PeopleAdminDbContext> factory, AuthenticationStateProvider authentication)
{
    private WorkspaceChoice? _workspace;

    public IReadOnlyList<WorkspaceChoice> All { get; private set; } = [];

    /// <summary>Raised after a switch or after the list of workspaces changed.</summary>
    public event Func<Task>? Changed;

    /// <summary>The current workspace, resolved on first use.</summary>
    public async Task<WorkspaceChoice> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_workspace is null)
        {
            await LoadAsync(preferredId: null, cancellationToken);
        }

        return _workspace!;
    }

    /// <summary>Switches this circuit to the workspace and remembers the choice for the signed-in operator.</summary>
    public async Task SwitchAsync(int workspaceId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(workspaceId, cancellationToken);
        var operatorId = await OperatorIdAsync();
        if (operatorId is not null)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await db.Users.Where(u => u.Id == operatorId)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.SelectedWorkspaceId, _workspace!.Id), cancellationToken);
        }

        await NotifyAsync();
    }

    /// <summary>Reads the workspaces again (after one was created, renamed or deleted), keeping the current one if it still exists.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await LoadAsync(_workspace?.Id, cancellationToken);
        await NotifyAsync();
    }

    private async Task LoadAsync(int? preferredId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        All = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id)
            .Select(w => new WorkspaceChoice(w.Id, w.Name, w.SiteId))
            .ToListAsync(cancellationToken);
        if (All.Count == 0)
        {
            throw new InvalidOperationException("There is no workspace: the default workspace is created on start.");
        }

        if (preferredId is null)
        {
            var operatorId = await OperatorIdAsync();
            if (operatorId is not null)
            {
                preferredId = await db.Users.Where(u => u.Id == operatorId)
                    .Select(u => u.SelectedWorkspaceId).FirstOrDefaultAsync(cancellationToken);
            }
        }

        _workspace = All.FirstOrDefault(w => w.Id == preferredId) ?? All[0];
    }

    private async Task<string?> OperatorIdAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.FindFirstValue(ClaimTypes.NameIdentifier);
    }

    private async Task NotifyAsync()
    {
        if (Changed is { } changed)
        {
            foreach (var handler in changed.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }
}

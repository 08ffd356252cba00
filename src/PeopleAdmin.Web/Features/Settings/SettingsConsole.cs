using PeopleAdmin.Web.Features.Operators;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.Settings;

/// <summary>One recorded settings change as the history lists it.</summary>
public sealed record SettingsHistoryEntry(DateTime ChangedAt, string Actor, string Setting, string? From, string? To);

/// <summary>What the settings page reads and saves, with the role check on the server side of every save.</summary>
public sealed class SettingsConsole(
    PeopleService people,
    IDbContextFactory<PeopleAdminDbContext> factory,
    WorkspaceDirectory directory,
    OperatorAccess access)
{
    public const string ManagePolicy = Policies.CanManageSettings;

    public async Task<WorkspaceSettings> GetAsync(int workspaceId, CancellationToken cancellationToken) =>
        await people.GetSettingsAsync(workspaceId, cancellationToken)
        ?? throw new InvalidOperationException($"Workspace {workspaceId} does not exist.");

    public async Task<IReadOnlyList<SettingsHistoryEntry>> HistoryAsync(int workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.SettingsChanges.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId)
            .OrderByDescending(c => c.Id)
            .Take(limit)
            .Select(c => new SettingsHistoryEntry(c.ChangedAt, c.Actor, c.Setting, c.FromValue, c.ToValue))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Saves what differs between the two through the identity service's guard; nothing when refused.</summary>
    public async Task<OperationResult> SaveAsync(int workspaceId, WorkspaceSettings saved, WorkspaceSettings edited, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(ManagePolicy))
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "settings", "Only Admins and the Owner can change workspace settings.");
        }

        var patch = Diff(saved, edited);
        var context = new OperationContext(workspaceId, Sources.Ui, await access.ActorAsync());
        var result = await people.ExecuteAsync(context, new ChangeSettingsOperation(patch), cancellationToken);
        // The APIs cache each workspace's settings (the rate limit) with its keys.
        await directory.InvalidateAsync(workspaceId, cancellationToken);
        if (result.Status == OperationStatus.Applied)
        {
            await access.RecordAsync(AuditActions.SettingsChanged, $"workspace {workspaceId}: {patch.Describe()}", cancellationToken);
        }

        return result;
    }

    /// <summary>A patch of only the settings that changed.</summary>
    public static SettingsPatch Diff(WorkspaceSettings saved, WorkspaceSettings edited)
    {
        var blockedChanged = !saved.BlockedIdentifierValues.Order(StringComparer.Ordinal)
            .SequenceEqual(edited.BlockedIdentifierValues.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        return new SettingsPatch
        {
            Identifiers = saved.Identifiers != edited.Identifiers ? edited.Identifiers : null,
            AllowEmailUpdatesById = saved.AllowEmailUpdatesById != edited.AllowEmailUpdatesById ? edited.AllowEmailUpdatesById : null,
            ReferencePeopleByCioId = saved.ReferencePeopleByCioId != edited.ReferencePeopleByCioId ? edited.ReferencePeopleByCioId : null,
            MultiIdentifierMerge = saved.MultiIdentifierMerge != edited.MultiIdentifierMerge ? edited.MultiIdentifierMerge : null,
            AnonymousEventMerge = saved.AnonymousEventMerge != edited.AnonymousEventMerge ? edited.AnonymousEventMerge : null,
            BlockedIdentifierValues = blockedChanged ? [.. edited.BlockedIdentifierValues] : null,
            ChangesRateLimit = saved.RateLimitPerSecond != edited.RateLimitPerSecond,
            RateLimitPerSecond = edited.RateLimitPerSecond,
            AllowedOrigins = saved.AllowedOrigins.SequenceEqual(edited.AllowedOrigins, StringComparer.Ordinal) ? null : [.. edited.AllowedOrigins],
        };
    }
}

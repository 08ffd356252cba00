using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Workspaces;

/// <summary><c>PeopleAdmin:DefaultWorkspace</c>: fixes the first workspace's credentials (scripts, tests).</summary>
public sealed class DefaultWorkspaceOptions
{
    public const string Section = "PeopleAdmin:DefaultWorkspace";

    public string Name { get; set; } = "Default workspace";

    public string? SiteId { get; set; }

    public string? TrackApiKey { get; set; }

    public string? AppApiKey { get; set; }
}

public static class DefaultWorkspace
{
    /// <summary>
    /// Creates the default workspace on first start; on later starts, applies credentials that configuration fixes
    /// to the oldest workspace, so that a script's configured keys always work.
    /// </summary>
    public static async Task EnsureAsync(
        IDbContextFactory<PeopleAdminDbContext> factory,
        WorkspaceCredentials credentials,
        DefaultWorkspaceOptions options,
        TimeProvider clock,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.OrderBy(w => w.Id).FirstOrDefaultAsync(cancellationToken);
        if (workspace is null)
        {
            var trackKey = options.TrackApiKey ?? WorkspaceCredentials.NewSecret();
            var appKey = options.AppApiKey ?? WorkspaceCredentials.NewSecret();
            workspace = new Workspace
            {
                Name = options.Name,
                SiteId = options.SiteId ?? WorkspaceCredentials.NewSecret(),
                TrackApiKeyHash = credentials.Hash(trackKey),
                TrackApiKeyProtected = credentials.Protect(trackKey),
                AppApiKeyHash = credentials.Hash(appKey),
                AppApiKeyProtected = credentials.Protect(appKey),
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the default workspace {Name} with site id {SiteId}", workspace.Name, workspace.SiteId);
            return;
        }

        var changed = false;
        if (options.SiteId is { Length: > 0 } siteId && workspace.SiteId != siteId)
        {
            workspace.SiteId = siteId;
            changed = true;
        }

        if (options.TrackApiKey is { Length: > 0 } track && !credentials.Matches(track, workspace.TrackApiKeyHash))
        {
            workspace.TrackApiKeyHash = credentials.Hash(track);
            workspace.TrackApiKeyProtected = credentials.Protect(track);
            changed = true;
        }

        if (options.AppApiKey is { Length: > 0 } app && !credentials.Matches(app, workspace.AppApiKeyHash))
        {
            workspace.AppApiKeyHash = credentials.Hash(app);
            workspace.AppApiKeyProtected = credentials.Protect(app);
            changed = true;
        }

        if (changed)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Applied the configured credentials to workspace {Name}", workspace.Name);
        }
    }
}

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
    /// Creates the default workspace on first start (no workspace exists yet: PeopleAdmin never deletes the last one),
    /// with the configured credentials where there are any. On later starts it changes nothing: configured keys that
    /// no workspace holds any more (rotated, or the default workspace deleted) are logged, never applied, so that a
    /// restart can neither revive a rotated key nor hand fixed keys to another workspace.
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
        if (await db.Workspaces.AnyAsync(cancellationToken))
        {
            await WarnAboutStaleConfigurationAsync(db, credentials, options, logger, cancellationToken);
            return;
        }

        var trackKey = NonEmpty(options.TrackApiKey) ?? WorkspaceCredentials.NewSecret();
        var appKey = NonEmpty(options.AppApiKey) ?? WorkspaceCredentials.NewSecret();
        var workspace = new Workspace
        {
            Name = options.Name,
            SiteId = NonEmpty(options.SiteId) ?? WorkspaceCredentials.NewSecret(),
            TrackApiKeyHash = credentials.Hash(trackKey),
            TrackApiKeyProtected = credentials.Protect(trackKey),
            AppApiKeyHash = credentials.Hash(appKey),
            AppApiKeyProtected = credentials.Protect(appKey),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Created the default workspace {Name} with site id {SiteId}", workspace.Name, workspace.SiteId);
    }

    private static async Task WarnAboutStaleConfigurationAsync(
        PeopleAdminDbContext db, WorkspaceCredentials credentials, DefaultWorkspaceOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var siteId = NonEmpty(options.SiteId);
        var trackKey = NonEmpty(options.TrackApiKey);
        var appKey = NonEmpty(options.AppApiKey);
        if (siteId is null && trackKey is null && appKey is null)
        {
            return;
        }

        var trackHash = trackKey is null ? null : credentials.Hash(trackKey);
        var appHash = appKey is null ? null : credentials.Hash(appKey);
        var holder = await db.Workspaces.AsNoTracking()
            .Where(w => (siteId == null || w.SiteId == siteId)
                && (trackHash == null || w.TrackApiKeyHash == trackHash)
                && (appHash == null || w.AppApiKeyHash == appHash))
            .Select(w => w.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (holder == 0)
        {
            logger.LogWarning(
                "The configured PeopleAdmin__DefaultWorkspace credentials differ from the stored ones (rotated, or the default workspace was deleted); "
                + "they only apply when the default workspace is created, so nothing was changed");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

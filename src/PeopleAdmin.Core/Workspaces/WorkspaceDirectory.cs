using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Instances;

namespace PeopleAdmin.Core.Workspaces;

/// <summary>What a request knows about its workspace once authenticated. <see cref="Settings"/> is a snapshot: do not change it.</summary>
public sealed record WorkspaceIdentity(int Id, string Name, string SiteId, WorkspaceSettings Settings)
{
    public int? RateLimitPerSecond => Settings.RateLimitPerSecond;
}

/// <summary>
/// Authenticates API requests against cached workspace credentials without decrypting anything: a Track API key is
/// compared with its stored keyed hash in constant time, an App API key is looked up by its keyed hash. Also caches
/// each workspace's settings (rate limits). Anything that changes credentials, settings or the set of workspaces
/// calls <see cref="InvalidateAsync"/> after committing, which tells every instance of the deployment
/// (<see cref="IInstanceSignals"/>), so old keys stop at once.
/// </summary>
public sealed class WorkspaceDirectory
{
    private sealed record Entry(WorkspaceIdentity Identity, string TrackApiKeyHash, string AppApiKeyHash, long LoadedAt);

    /// <summary>
    /// A safety net for changes made without <see cref="InvalidateAsync"/> (settings saved by another way in): an entry
    /// older than this is read again.
    /// </summary>
    private const long MaxAgeMilliseconds = 5000;

    private readonly IDbContextFactory<PeopleAdminDbContext> _factory;
    private readonly WorkspaceCredentials _credentials;
    private readonly ConcurrentDictionary<string, Entry> _bySiteId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _byAppKeyHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Entry> _byId = new();
    private readonly IInstanceSignals _signals;
    private long _generation;

    public WorkspaceDirectory(IDbContextFactory<PeopleAdminDbContext> factory, WorkspaceCredentials credentials, IInstanceSignals? signals = null)
    {
        _factory = factory;
        _credentials = credentials;
        _signals = signals ?? new InProcessSignals();
        _signals.Subscribe(InstanceTopics.Workspaces, _ => Forget());
    }

    /// <summary>The workspace whose site id and Track API key these are, or null.</summary>
    public async ValueTask<WorkspaceIdentity?> AuthenticateTrackAsync(string siteId, string apiKey, CancellationToken cancellationToken)
    {
        if (siteId.Length == 0 || apiKey.Length == 0)
        {
            return null;
        }

        var entry = _bySiteId.TryGetValue(siteId, out var cached) && Fresh(cached)
            ? cached
            : await LoadAsync(w => w.SiteId == siteId, cancellationToken);
        if (entry is null)
        {
            // Hash anyway, so that an unknown site id takes as long as a wrong key.
            _ = _credentials.Hash(apiKey);
            return null;
        }

        return _credentials.Matches(apiKey, entry.TrackApiKeyHash) ? entry.Identity : null;
    }

    /// <summary>The workspace whose App API key this is, or null.</summary>
    public async ValueTask<WorkspaceIdentity?> AuthenticateAppAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (apiKey.Length == 0)
        {
            return null;
        }

        var hash = _credentials.Hash(apiKey);
        var entry = _byAppKeyHash.TryGetValue(hash, out var cached) && Fresh(cached)
            ? cached
            : await LoadAsync(w => w.AppApiKeyHash == hash, cancellationToken);
        return entry?.Identity;
    }

    /// <summary>The workspace of a public site id (hosted forms, the snippet: no key), or null.</summary>
    public async ValueTask<WorkspaceIdentity?> FindBySiteIdAsync(string siteId, CancellationToken cancellationToken)
    {
        if (siteId.Length == 0)
        {
            return null;
        }

        var entry = _bySiteId.TryGetValue(siteId, out var cached) && Fresh(cached)
            ? cached
            : await LoadAsync(w => w.SiteId == siteId, cancellationToken);
        return entry?.Identity;
    }

    /// <summary>The workspace with its current settings, or null when there is no such workspace.</summary>
    public async ValueTask<WorkspaceIdentity?> FindAsync(int workspaceId, CancellationToken cancellationToken)
    {
        var entry = _byId.TryGetValue(workspaceId, out var cached) && Fresh(cached)
            ? cached
            : await LoadAsync(w => w.Id == workspaceId, cancellationToken);
        return entry?.Identity;
    }

    /// <summary>
    /// Tells every instance to forget what it caches after a workspace's credentials, settings or existence changed
    /// (call after the commit).
    /// </summary>
    public Task InvalidateAsync(int workspaceId, CancellationToken cancellationToken) =>
        _signals.SendAsync(InstanceTopics.Workspaces, workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>Workspaces change rarely, so everything is dropped.</summary>
    private void Forget()
    {
        Interlocked.Increment(ref _generation);
        _bySiteId.Clear();
        _byAppKeyHash.Clear();
        _byId.Clear();
    }

    private static bool Fresh(Entry entry) => Environment.TickCount64 - entry.LoadedAt < MaxAgeMilliseconds;

    private async Task<Entry?> LoadAsync(Expression<Func<Workspace, bool>> predicate, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Read(ref _generation);
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().Where(predicate).FirstOrDefaultAsync(cancellationToken);
        if (workspace is null)
        {
            return null;
        }

        var entry = new Entry(
            new WorkspaceIdentity(workspace.Id, workspace.Name, workspace.SiteId, workspace.Settings.Clone()),
            workspace.TrackApiKeyHash,
            workspace.AppApiKeyHash,
            Environment.TickCount64);
        _bySiteId[workspace.SiteId] = entry;
        _byAppKeyHash[workspace.AppApiKeyHash] = entry;
        _byId[workspace.Id] = entry;

        // An invalidation that raced with this read may have cleared before the entry went in: take it out again.
        if (Interlocked.Read(ref _generation) != generation)
        {
            _bySiteId.TryRemove(new KeyValuePair<string, Entry>(workspace.SiteId, entry));
            _byAppKeyHash.TryRemove(new KeyValuePair<string, Entry>(workspace.AppApiKeyHash, entry));
            _byId.TryRemove(new KeyValuePair<int, Entry>(workspace.Id, entry));
        }

        return entry;
    }
}

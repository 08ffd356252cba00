using PeopleAdmin.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.Operators;

/// <summary>The actions the audit trail records; later features add theirs (and a kind in <see cref="AuditKinds"/>).</summary>
public static class AuditActions
{
    public const string Setup = "operator.setup";
    public const string ObjectTypeCreated = "object-type.created";
    public const string ObjectTypeRenamed = "object-type.renamed";
    public const string SignedIn = "operator.signed-in";
    public const string SignInFailed = "operator.sign-in-failed";
    public const string LockedOut = "operator.locked-out";
    public const string SignedOut = "operator.signed-out";
    public const string PasswordChanged = "operator.password-changed";
    public const string PasswordReset = "operator.password-reset";
    public const string OperatorAdded = "operator.added";
    public const string RoleChanged = "operator.role-changed";
    public const string Deactivated = "operator.deactivated";
    public const string Reactivated = "operator.reactivated";
    public const string OperatorRemoved = "operator.removed";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string SettingsChanged = "settings.changed";
    public const string CredentialsRotated = "credentials.rotated";
    public const string CredentialsRevealed = "credentials.revealed";
    public const string WorkspaceCreated = "workspace.created";
    public const string WorkspaceRenamed = "workspace.renamed";
    public const string WorkspaceDeleted = "workspace.deleted";
    public const string PeopleExported = "people.exported";
    public const string RuleCreated = "rule.created";
    public const string RuleChanged = "rule.changed";
    public const string RuleDeleted = "rule.deleted";
    public const string WebhookRotated = "rule.webhook-rotated";
    public const string LeadAdsConnected = "lead-ads.connected";
    public const string SyncConnectionSaved = "sync-connection.saved";
    public const string SyncConnectionDeleted = "sync-connection.deleted";
    public const string SyncSaved = "sync.saved";
    public const string SyncDeleted = "sync.deleted";
    public const string PeopleBulkAction = "people.bulk-action";
    public const string PeopleMerged = "people.merged";
    public const string MergeUndone = "people.merge-undone";
    public const string Unsuppressed = "people.unsuppressed";
}

/// <summary>The kinds the audit page filters by, each a set of actions.</summary>
public static class AuditKinds
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> All = new Dictionary<string, IReadOnlyList<string>>
    {
        ["Sign-ins"] = [AuditActions.Setup, AuditActions.SignedIn, AuditActions.SignInFailed, AuditActions.LockedOut, AuditActions.SignedOut],
        ["Operators"] =
        [
            AuditActions.OperatorAdded, AuditActions.RoleChanged, AuditActions.Deactivated, AuditActions.Reactivated,
            AuditActions.OperatorRemoved, AuditActions.PasswordChanged, AuditActions.PasswordReset,
        ],
        ["Tokens"] = [AuditActions.TokenCreated, AuditActions.TokenRevoked],
        ["Settings"] = [AuditActions.SettingsChanged, AuditActions.ObjectTypeCreated, AuditActions.ObjectTypeRenamed],
        ["Credentials"] = [AuditActions.CredentialsRotated, AuditActions.CredentialsRevealed],
        ["Workspaces"] = [AuditActions.WorkspaceCreated, AuditActions.WorkspaceRenamed, AuditActions.WorkspaceDeleted],
        ["Exports"] = [AuditActions.PeopleExported],
        ["Rules"] = [AuditActions.RuleCreated, AuditActions.RuleChanged, AuditActions.RuleDeleted, AuditActions.WebhookRotated],
        ["Integrations"] = [AuditActions.LeadAdsConnected],
        ["Syncs"] = [AuditActions.SyncConnectionSaved, AuditActions.SyncConnectionDeleted, AuditActions.SyncSaved, AuditActions.SyncDeleted],
        ["People"] = [AuditActions.PeopleBulkAction, AuditActions.PeopleMerged, AuditActions.MergeUndone, AuditActions.Unsuppressed],
    };
}

/// <summary>
/// What the audit page asks for: entries of one operator (the email as recorded, any case), of one kind, from a day to
/// a day (both inclusive, UTC). Null means any; the operator is the email exactly as the trail records it.
/// </summary>
public sealed record AuditQuery(string? Actor = null, string? Kind = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One page of entries, newest first, and how many match in all.</summary>
public sealed record AuditResults(IReadOnlyList<AuditEntry> Entries, int Total);

/// <summary>Writes the operators' audit trail, one context and one transaction per entry, and reads it back.</summary>
public sealed class AuditTrail(IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider time)
{
    public async Task RecordAsync(string action, string? actor, string? detail, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Action = action,
            Actor = Truncate(actor, 256),
            Detail = Truncate(detail, 1000),
            RemoteAddress = Truncate(remoteAddress, 64),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>One page of the entries that match, newest first.</summary>
    public async Task<AuditResults> SearchAsync(AuditQuery query, int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var matching = Filter(db, query);
        var total = await matching.CountAsync(cancellationToken);
        var entries = await matching.OrderByDescending(e => e.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return new AuditResults(entries, total);
    }

    /// <summary>Every matching entry, newest first, read as it streams (for the CSV export).</summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await foreach (var entry in Filter(db, query).OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>The operators' emails, for the audit page's operator filter.</summary>
    public async Task<IReadOnlyList<string>> ActorsAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Email != null).OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(cancellationToken);
    }

    /// <summary>Each operator's last successful sign-in, by email.</summary>
    public async Task<IReadOnlyDictionary<string, DateTime>> LastSignInsAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var found = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.SignedIn && e.Actor != null && emails.Contains(e.Actor))
            .GroupBy(e => e.Actor!)
            .Select(g => new { Actor = g.Key, At = g.Max(e => e.At) })
            .ToListAsync(cancellationToken);
        return found.ToDictionary(f => f.Actor, f => f.At, StringComparer.OrdinalIgnoreCase);
    }

    private static IQueryable<AuditEntry> Filter(PeopleAdminDbContext db, AuditQuery query)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            entries = entries.Where(e => e.Actor == actor);
        }

        if (query.Kind is { } kind && AuditKinds.All.TryGetValue(kind, out var actions))
        {
            entries = entries.Where(e => actions.Contains(e.Action));
        }

        if (query.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            entries = entries.Where(e => e.At >= start);
        }

        if (query.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            entries = entries.Where(e => e.At < end);
        }

        return entries;
    }

    private static string? Truncate(string? value, int length) =>
        value is { Length: > 0 } && value.Length > length ? value[..length] : value;
}

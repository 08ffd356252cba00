using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// PostgreSQL's everyday path: EF Core's change tracker tracks everything the operation reads and changes, and one
/// <c>SaveChanges</c> writes it (Npgsql sends the statements of a save in one round trip).
/// </summary>
internal sealed class PostgresEverydayStore(PeopleAdminDbContext db) : IEverydayStore
{
    private readonly Dictionary<int, bool> _anySuppressions = [];

    public int Tracked => db.ChangeTracker.Entries().Count(e => e.Entity is Person or PersonAttribute);

    public Task<Person?> FindPersonByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) =>
        db.People.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.CioId == cioId, ct);

    public Task<Person?> FindPersonByExternalIdAsync(int workspaceId, string id, CancellationToken ct) =>
        db.People.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.ExternalId == id, ct);

    public Task<Person?> FindPersonByEmailKeyAsync(int workspaceId, string emailKey, CancellationToken ct) =>
        db.People.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.EmailUniqueKey == emailKey, ct);

    /// <summary>What the database holds, as the context tracks it, with the operation's unsaved additions and removals.</summary>
    public async Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(long personId, CancellationToken ct)
    {
        var attributes = await db.PersonAttributes.Where(a => a.PersonId == personId).ToDictionaryAsync(a => a.Name, StringComparer.Ordinal, ct);
        foreach (var entry in db.ChangeTracker.Entries<PersonAttribute>())
        {
            if (entry.Entity.PersonId != personId)
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                attributes[entry.Entity.Name] = entry.Entity;
            }
            else if (entry.State == EntityState.Deleted)
            {
                attributes.Remove(entry.Entity.Name);
            }
        }

        return attributes;
    }

    public long? WorkspaceCounter(int workspaceId) =>
        db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => (long?)w.NextCioNumber).FirstOrDefault();

    public bool AnySuppressions(int workspaceId)
    {
        if (!_anySuppressions.TryGetValue(workspaceId, out var any))
        {
            any = db.Suppressions.AsNoTracking().Any(s => s.WorkspaceId == workspaceId);
            _anySuppressions[workspaceId] = any;
        }

        return any;
    }

    public void SuppressionAdded(int workspaceId) => _anySuppressions[workspaceId] = true;

    public bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) =>
        db.Suppressions.AsNoTracking().Any(s => s.WorkspaceId == workspaceId && s.Kind == kind && s.ValueKey == valueKey);

    public Task<bool> EventIdSeenAsync(int workspaceId, string eventId, CancellationToken ct) =>
        db.Activities.AsNoTracking().AnyAsync(a => a.WorkspaceId == workspaceId && a.DedupId == eventId, ct);

    public void AddActivity(Activity activity) => db.Activities.Add(activity);

    public void AddPerson(Person person) => db.People.Add(person);

    public void AddAttribute(PersonAttribute attribute) => db.PersonAttributes.Add(attribute);

    public void RemoveAttribute(PersonAttribute attribute) => db.PersonAttributes.Remove(attribute);

    /// <summary>EF Core tracks everything here from the start.</summary>
    public void UseChangeTracker()
    {
    }

    public async Task<Dictionary<string, bool>> MatchAsync(int workspaceId, Audience.AudienceFilter filter, IReadOnlyList<string> cioIds, CancellationToken ct)
    {
        await SaveAsync(ct);
        var (sql, parameters) = PostgresAudienceSql.Matching(workspaceId, filter, cioIds);
        var rows = await db.Database.SqlQueryRaw<CioIdMatch>(sql, [.. parameters]).ToListAsync(ct);
        return rows.ToDictionary(r => r.CioId, r => r.Matches, StringComparer.Ordinal);
    }

    private sealed class CioIdMatch
    {
        public required string CioId { get; init; }

        public bool Matches { get; init; }
    }

    public Task SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    public void Saved()
    {
    }

    public void Reset() => _anySuppressions.Clear();
}

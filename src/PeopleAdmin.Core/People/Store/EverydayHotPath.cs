using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// The writer's fast path for everyday work (identify, events), whatever the provider. People and attributes are read
/// with the provider's prepared statements and tracked here (<see cref="EverydayTracking"/>), not by EF Core; at the
/// save, the changes the rules made are written with the provider's statements when they are of the everyday kinds (a
/// new or changed person, attributes, the workspace's cio_id counter, activity entries). An operation that does
/// anything else (a merge, a delete, suppressions, devices, segments, settings) hands what it tracks over to EF Core's
/// change tracker, which then tracks and saves the rest of the operation with <c>SaveChanges</c>, as it always did.
/// A provider brings the statements (<c>Sqlite/SqliteHotPath</c>, <c>Postgres/PostgresHotPath</c>).
/// </summary>
internal abstract class EverydayHotPath(PeopleAdminDbContext db) : IEverydayStore
{
    /// <summary>The columns a person's update may write: an update writes the ones that changed (a bit each, in this order).</summary>
    protected static readonly (string Column, Func<Person, object?> Value)[] UpdatableColumns = PersonRow.Writable;

    private readonly EverydayTracking _tracking = new();
    private readonly List<(Person Person, int Columns)> _changedPeople = [];
    private readonly List<EntityEntry> _workspaces = [];
    private readonly List<Activity> _activities = [];
    private readonly Dictionary<int, bool> _anySuppressions = [];
    private bool _handedOver;

    /// <summary>How a person is looked up: each is one unique index of <c>People</c>, the first two named as their column.</summary>
    protected enum Lookup
    {
        CioId,
        ExternalId,

        /// <summary>The email as an identifier: <see cref="Person.EmailNormalized"/> where <see cref="Person.EmailIsIdentifier"/>.</summary>
        Email,
    }

    // The provider's statements.

    /// <summary>
    /// The person's row, or null; with <paramref name="withAttributes"/> a provider may read the person's attributes in
    /// the same round trip and answer them too (else null: they are read when asked for).
    /// </summary>
    protected abstract (Person? Row, List<PersonAttribute>? Attributes) ReadPerson(Lookup lookup, int workspaceId, string value, bool withAttributes);

    protected abstract List<PersonAttribute> ReadAttributes(int workspaceId, long personId);

    public abstract long? WorkspaceCounter(int workspaceId);

    protected abstract bool ReadAnySuppressions(int workspaceId);

    public abstract bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey);

    protected abstract bool ReadEventIdSeen(int workspaceId, string eventId);

    /// <summary>The audience SQL of <see cref="IEverydayStore.MatchAsync"/>, with rows of <c>CioId</c> and <c>Matches</c>.</summary>
    protected abstract (string Sql, object[] Parameters) Matching(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds);

    /// <summary>Inserts the person and sets their key (by <see cref="EndWrites"/> at the latest).</summary>
    protected abstract void InsertPerson(Person person);

    /// <summary>Writes the columns of <paramref name="person"/> whose bits are set in <paramref name="columns"/> (see <see cref="UpdatableColumns"/>).</summary>
    protected abstract void UpdatePerson(Person person, int columns);

    protected abstract void InsertAttribute(PersonAttribute attribute);

    protected abstract void UpdateAttribute(PersonAttribute attribute);

    protected abstract void DeleteAttribute(PersonAttribute attribute);

    protected abstract void UpdateCounter(Workspace workspace);

    /// <summary>Inserts the entry and sets its key (by <see cref="EndWrites"/> at the latest).</summary>
    protected abstract void InsertActivity(Activity activity);

    /// <summary>After a save's writes were given: a provider that gathers them sends them here.</summary>
    protected virtual void EndWrites()
    {
    }

    // Reads: each answers the entity already tracked for the operation, here or (once handed over) by the context,
    // as an EF Core query would.

    public Task<Person?> FindPersonByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) =>
        Task.FromResult(Find(Lookup.CioId, workspaceId, cioId));

    public Task<Person?> FindPersonByExternalIdAsync(int workspaceId, string id, CancellationToken ct) =>
        Task.FromResult(Find(Lookup.ExternalId, workspaceId, id));

    public Task<Person?> FindPersonByEmailKeyAsync(int workspaceId, string emailKey, CancellationToken ct) =>
        Task.FromResult(Find(Lookup.Email, workspaceId, emailKey));

    public Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(Person person, CancellationToken ct)
    {
        var personId = person.Id;
        if (!_handedOver && _tracking.AttributesOf(personId) is { } known)
        {
            return Task.FromResult(known);
        }

        var read = ReadAttributes(person.WorkspaceId, personId);
        if (!_handedOver)
        {
            _tracking.AttributesRead(personId, read);
            return Task.FromResult(_tracking.AttributesOf(personId)!);
        }

        // Handed over: the context's own entity wins, as an EF Core query's would.
        var attributes = new Dictionary<string, PersonAttribute>(StringComparer.Ordinal);
        var local = WithoutDetectingChanges(() => db.PersonAttributes.Local);
        foreach (var attribute in read)
        {
            if (local.FindEntryUntyped([person.WorkspaceId, personId, attribute.Name]) is { } tracked)
            {
                attributes[attribute.Name] = tracked.Entity;
                continue;
            }

            db.PersonAttributes.Attach(attribute);
            attributes[attribute.Name] = attribute;
        }

        return Task.FromResult(attributes);
    }

    /// <summary>
    /// Whether the workspace suppresses anybody, read once per transaction: most suppress nobody, and then an
    /// operation needs no probe per identifier. Only the writer adds suppressions, and it says so (<see cref="SuppressionAdded"/>).
    /// </summary>
    public bool AnySuppressions(int workspaceId)
    {
        if (!_anySuppressions.TryGetValue(workspaceId, out var any))
        {
            any = ReadAnySuppressions(workspaceId);
            _anySuppressions[workspaceId] = any;
        }

        return any;
    }

    public void SuppressionAdded(int workspaceId) => _anySuppressions[workspaceId] = true;

    public Task<bool> EventIdSeenAsync(int workspaceId, string eventId, CancellationToken ct) =>
        Task.FromResult(ReadEventIdSeen(workspaceId, eventId));

    public async Task<Dictionary<string, bool>> MatchAsync(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds, CancellationToken ct)
    {
        await SaveAsync(ct);
        var (sql, parameters) = Matching(workspaceId, filter, cioIds);
        var rows = await db.Database.SqlQueryRaw<CioIdMatch>(sql, parameters).ToListAsync(ct);
        return rows.ToDictionary(r => r.CioId, r => r.Matches, StringComparer.Ordinal);
    }

    private sealed class CioIdMatch
    {
        public required string CioId { get; init; }

        public bool Matches { get; init; }
    }

    // Writes.

    /// <summary>
    /// An activity entry to insert at the next save. Entries are only ever inserted, so they are kept here rather
    /// than in the change tracker (tracking them was a large share of an identify's cost).
    /// </summary>
    public void AddActivity(Activity activity) => _activities.Add(activity);

    public void AddPerson(Person person)
    {
        if (_handedOver)
        {
            db.People.Add(person);
        }
        else
        {
            _tracking.PersonAdded(person);
        }
    }

    public void AddAttribute(PersonAttribute attribute)
    {
        if (!_handedOver && !_tracking.AttributeAdded(attribute))
        {
            UseChangeTracker();
        }

        if (_handedOver)
        {
            db.PersonAttributes.Add(attribute);
        }
    }

    public void RemoveAttribute(PersonAttribute attribute)
    {
        if (_handedOver)
        {
            db.PersonAttributes.Remove(attribute);
        }
        else
        {
            _tracking.AttributeRemoved(attribute);
        }
    }

    /// <summary>
    /// From here to the end of the operation, EF Core's change tracker tracks its people and attributes: what this
    /// path tracked so far is attached with its original values. The store calls it before anything that is not
    /// everyday work.
    /// </summary>
    public void UseChangeTracker()
    {
        if (!_handedOver)
        {
            _handedOver = true;
            _tracking.HandOver(db);
        }
    }

    /// <summary>
    /// Saves the operation's changes and new activity entries: with the provider's statements when they are all of the
    /// everyday kinds, else through <c>SaveChanges</c> after handing over to the change tracker.
    /// </summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        if (!_handedOver && CollectEverydayChanges())
        {
            WriteEverydayChanges();
            return;
        }

        UseChangeTracker();
        db.Activities.AddRange(_activities);
        _activities.Clear();
        await db.SaveChangesAsync(ct);
    }

    public int Tracked => _tracking.Count;

    public void Saved()
    {
        _tracking.Clear();
        _handedOver = false;
    }

    public void Reset()
    {
        Saved();
        _activities.Clear();
        _anySuppressions.Clear();
    }

    /// <summary>
    /// Looks into the change tracker without its change detection over everything tracked, which EF Core runs
    /// whenever a <c>Local</c> view is taken: the save detects the operation's changes once.
    /// </summary>
    protected T WithoutDetectingChanges<T>(Func<T> look)
    {
        var tracker = db.ChangeTracker;
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return look();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }

    private Person? Find(Lookup lookup, int workspaceId, string value)
    {
        var (row, attributes) = ReadPerson(lookup, workspaceId, value, withAttributes: !_handedOver);
        if (row is null)
        {
            return null;
        }

        var known = _handedOver ? WithoutDetectingChanges(() => db.People.Local.FindEntryUntyped(DistributionKeys.KeyOf(db.People.EntityType, row.WorkspaceId, row.Id)))?.Entity : _tracking.FindPerson(row.Id);
        if (known is not null)
        {
            return known;
        }

        if (_handedOver)
        {
            db.People.Attach(row);
            return row;
        }

        _tracking.PersonRead(row);
        if (attributes is not null)
        {
            _tracking.AttributesRead(row.Id, attributes);
        }

        return row;
    }

    private void WriteEverydayChanges()
    {
        // People first (new rows get their keys), then what refers to them.
        foreach (var person in _tracking.AddedPeople)
        {
            InsertPerson(person);
        }

        foreach (var (person, columns) in _changedPeople)
        {
            UpdatePerson(person, columns);
        }

        foreach (var tracked in _tracking.Attributes)
        {
            if (!tracked.Changed)
            {
                continue;
            }

            if (tracked.Deleted)
            {
                DeleteAttribute(tracked.Entity);
            }
            else if (tracked.Original is null)
            {
                InsertAttribute(tracked.Entity);
            }
            else
            {
                UpdateAttribute(tracked.Entity);
            }
        }

        foreach (var entry in _workspaces)
        {
            UpdateCounter((Workspace)entry.Entity);
        }

        foreach (var activity in _activities)
        {
            InsertActivity(activity);
        }

        EndWrites();
        _activities.Clear();
        _tracking.Written();
        if (_workspaces.Count > 0)
        {
            db.ChangeTracker.AcceptAllChanges();
        }
    }

    /// <summary>
    /// Gathers the changes to write: false when one of them is not an everyday change, when more than one person is
    /// added or changed at once (EF Core orders those writes around the unique indexes), or when an entry names a
    /// person not written yet. Of what EF Core tracks, only the workspaces' cio_id counters may have changed; that is
    /// checked entry by entry without EF Core's comparers: the settings' list of blocked values has a comparer that
    /// builds delegates on every comparison, which made change detection the largest single cost of an identify.
    /// <c>SaveChanges</c>, when it is needed, detects everything itself.
    /// </summary>
    private bool CollectEverydayChanges()
    {
        _changedPeople.Clear();
        _workspaces.Clear();
        if (_activities.Exists(a => a.PersonId == 0))
        {
            return false;
        }

        foreach (var tracked in _tracking.People)
        {
            if (ChangedColumns(tracked.Entity, tracked.Original) is var columns and not 0)
            {
                _changedPeople.Add((tracked.Entity, columns));
            }
        }

        if (_changedPeople.Count + _tracking.AddedPeople.Count > 1)
        {
            return false;
        }

        foreach (var entry in WithoutDetectingChanges(() => db.ChangeTracker.Entries().ToList()))
        {
            var everyday = entry.Entity switch
            {
                Workspace => WorkspaceCounterOnly(entry),
                WorkspaceSettings => !AnyPropertyChanged(entry),
                _ => Unchanged(entry),
            };
            if (!everyday)
            {
                return false;
            }

            if (entry.Entity is Workspace && entry.State == EntityState.Modified)
            {
                _workspaces.Add(entry);
            }
        }

        return true;
    }

    private static bool Unchanged(EntityEntry entry)
    {
        if (entry.State == EntityState.Unchanged)
        {
            entry.DetectChanges();
        }

        return entry.State == EntityState.Unchanged;
    }

    private static int ChangedColumns(Person person, Person original)
    {
        var columns = 0;
        for (var i = 0; i < UpdatableColumns.Length; i++)
        {
            var value = UpdatableColumns[i].Value;
            if (!Equals(value(person), value(original)))
            {
                columns |= 1 << i;
            }
        }

        return columns;
    }

    /// <summary>True when nothing of the workspace changed but its cio_id counter, which is then marked modified.</summary>
    private static bool WorkspaceCounterOnly(EntityEntry entry)
    {
        if (entry.State != EntityState.Unchanged && entry.State != EntityState.Modified)
        {
            return false;
        }

        var counter = entry.Property(nameof(Workspace.NextCioNumber));
        foreach (var property in entry.Properties)
        {
            if (property.Metadata != counter.Metadata && (property.IsModified || !Equals(property.OriginalValue, property.CurrentValue)))
            {
                return false;
            }
        }

        if (!Equals(counter.OriginalValue, counter.CurrentValue))
        {
            counter.IsModified = true;
        }

        return true;
    }

    private static bool AnyPropertyChanged(EntityEntry entry)
    {
        if (entry.State != EntityState.Unchanged)
        {
            return true;
        }

        foreach (var property in entry.Properties)
        {
            var changed = (property.OriginalValue, property.CurrentValue) switch
            {
                (IEnumerable<string> before, IEnumerable<string> after) => !before.SequenceEqual(after, StringComparer.Ordinal),
                var (before, after) => !Equals(before, after),
            };
            if (changed)
            {
                return true;
            }
        }

        return false;
    }
}

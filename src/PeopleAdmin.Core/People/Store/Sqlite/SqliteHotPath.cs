using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// SQLite's fast path for the writer's everyday work (identify, events). People and attributes are read with
/// prepared statements and tracked here (<see cref="EverydayTracking"/>), not by EF Core; at the save, the changes
/// the rules made are written with prepared statements when they are of the everyday kinds (a new or changed person,
/// attributes, the workspace's cio_id counter, activity entries). An operation that does anything else (a merge, a
/// delete, suppressions, devices, segments, settings) hands what it tracks over to EF Core's change tracker, which
/// then tracks and saves the rest of the operation with <c>SaveChanges</c>, as it always did.
/// The statements are prepared once per writer connection.
/// </summary>
internal sealed class SqliteHotPath(PeopleAdminDbContext db, SqliteStatementCache statements) : SqliteStatements(statements), IEverydayStore
{
    /// <summary>The columns a person's update may write: an update writes the ones that changed.</summary>
    private static readonly (string Column, Func<Person, object?> Value)[] UpdatableColumns = PersonRow.Writable;

    private readonly EverydayTracking _tracking = new();
    private readonly List<(Person Person, int Columns)> _changedPeople = [];
    private readonly List<EntityEntry> _workspaces = [];
    private readonly List<Activity> _activities = [];
    private readonly Dictionary<int, SqliteStatement> _personUpdates = [];
    private readonly Dictionary<int, bool> _anySuppressions = [];
    private bool _handedOver;
    private SqliteStatement? _personByCioId;
    private SqliteStatement? _personById;
    private SqliteStatement? _personByEmail;
    private SqliteStatement? _attributesOf;
    private SqliteStatement? _eventIdSeen;
    private SqliteStatement? _workspaceCounter;
    private SqliteStatement? _suppressionsOf;
    private SqliteStatement? _updateAttribute;
    private SqliteStatement? _deleteAttribute;
    private SqliteStatement? _updateCounter;

    // Reads: each answers the entity already tracked for the operation, here or (once handed over) by the context,
    // as an EF Core query would.

    public Task<Person?> FindPersonByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) =>
        Task.FromResult(ReadPerson(_personByCioId ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE WorkspaceId = ?1 AND CioId = ?2 LIMIT 1"), workspaceId, cioId));

    public Task<Person?> FindPersonByExternalIdAsync(int workspaceId, string id, CancellationToken ct) =>
        Task.FromResult(ReadPerson(_personById ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1"), workspaceId, id));

    public Task<Person?> FindPersonByEmailKeyAsync(int workspaceId, string emailKey, CancellationToken ct) =>
        Task.FromResult(ReadPerson(_personByEmail ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE WorkspaceId = ?1 AND EmailUniqueKey = ?2 LIMIT 1"), workspaceId, emailKey));

    public Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(long personId, CancellationToken ct)
    {
        if (!_handedOver && _tracking.AttributesOf(personId) is { } known)
        {
            return Task.FromResult(known);
        }

        var statement = (_attributesOf ??= Statement($"SELECT {AttributeColumns} FROM PersonAttributes WHERE PersonId = ?1")).Bind(1, personId);
        var read = new List<PersonAttribute>();
        while (statement.Step())
        {
            read.Add(new PersonAttribute
            {
                PersonId = statement.GetInt64(0),
                WorkspaceId = statement.GetInt32(1),
                Name = statement.GetString(2),
                Type = (AttributeType)statement.GetInt32(3),
                TextValue = statement.GetString(4),
                NumberValue = statement.GetDoubleOrNull(5),
                SetMs = statement.GetInt64(6),
                Timestamp = statement.GetInt64OrNull(7),
            });
        }

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
            if (local.FindEntryUntyped([personId, attribute.Name]) is { } tracked)
            {
                attributes[attribute.Name] = tracked.Entity;
                continue;
            }

            db.PersonAttributes.Attach(attribute);
            attributes[attribute.Name] = attribute;
        }

        return Task.FromResult(attributes);
    }

    /// <summary>The workspace's cio_id counter as the database has it, or null when there is no such workspace.</summary>
    public long? WorkspaceCounter(int workspaceId)
    {
        var statement = (_workspaceCounter ??= Statement("SELECT NextCioNumber FROM Workspaces WHERE Id = ?1")).Bind(1, workspaceId);
        if (!statement.Step())
        {
            return null;
        }

        var counter = statement.GetInt64(0);
        statement.Reset();
        return counter;
    }

    /// <summary>
    /// Whether the workspace suppresses anybody, read once per transaction: most suppress nobody, and then an
    /// operation needs no probe per identifier. Only the writer adds suppressions, and it says so (<see cref="SuppressionAdded"/>).
    /// </summary>
    public bool AnySuppressions(int workspaceId)
    {
        if (!_anySuppressions.TryGetValue(workspaceId, out var any))
        {
            any = (_suppressionsOf ??= Statement("SELECT 1 FROM Suppressions WHERE WorkspaceId = ?1 LIMIT 1")).Bind(1, workspaceId).Exists();
            _anySuppressions[workspaceId] = any;
        }

        return any;
    }

    public void SuppressionAdded(int workspaceId) => _anySuppressions[workspaceId] = true;

    public Task<bool> EventIdSeenAsync(int workspaceId, string eventId, CancellationToken ct) =>
        Task.FromResult((_eventIdSeen ??= Statement("SELECT 1 FROM Activities WHERE WorkspaceId = ?1 AND DedupId = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, eventId).Exists());

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
    /// Saves the operation's changes and new activity entries: with prepared statements when they are all of the
    /// everyday kinds, else through <c>SaveChanges</c> after handing over to the change tracker.
    /// </summary>
    public async Task<Dictionary<string, bool>> MatchAsync(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds, CancellationToken ct)
    {
        await SaveAsync(ct);
        var (sql, parameters) = SqliteAudienceSql.Matching(workspaceId, filter, cioIds);
        var rows = await db.Database.SqlQueryRaw<CioIdMatch>(sql, [.. parameters]).ToListAsync(ct);
        return rows.ToDictionary(r => r.CioId, r => r.Matches, StringComparer.Ordinal);
    }

    private sealed class CioIdMatch
    {
        public required string CioId { get; init; }

        public bool Matches { get; init; }
    }

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

    /// <summary>How many people and attributes this path tracks for the operation.</summary>
    public int Tracked => _tracking.Count;

    /// <summary>After the operation's changes are saved: the next operation starts with nothing tracked here.</summary>
    public void Saved()
    {
        _tracking.Clear();
        _handedOver = false;
    }

    /// <summary>Forgets unsaved changes and what was read, after the operation was rolled back to its savepoint.</summary>
    public void Reset()
    {
        Saved();
        _activities.Clear();
        _anySuppressions.Clear();
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

            var attribute = tracked.Entity;
            if (tracked.Deleted)
            {
                (_deleteAttribute ??= Statement("DELETE FROM PersonAttributes WHERE PersonId = ?1 AND Name = ?2"))
                    .Bind(1, attribute.PersonId).Bind(2, attribute.Name).Execute();
            }
            else if (tracked.Original is null)
            {
                InsertAttribute(attribute);
            }
            else
            {
                BindAttribute(
                    _updateAttribute ??= Statement("UPDATE PersonAttributes SET WorkspaceId = ?2, Type = ?4, TextValue = ?5, NumberValue = ?6, SetMs = ?7, Timestamp = ?8 WHERE PersonId = ?1 AND Name = ?3"),
                    attribute).Execute();
            }
        }

        foreach (var entry in _workspaces)
        {
            var workspace = (Workspace)entry.Entity;
            (_updateCounter ??= Statement("UPDATE Workspaces SET NextCioNumber = ?1 WHERE Id = ?2"))
                .Bind(1, workspace.NextCioNumber).Bind(2, workspace.Id).Execute();
        }

        foreach (var activity in _activities)
        {
            InsertActivity(activity);
        }

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

    private Person? ReadPerson(SqliteStatement statement, int workspaceId, string value)
    {
        statement.Bind(1, workspaceId).Bind(2, value);
        try
        {
            if (!statement.Step())
            {
                return null;
            }

            var id = statement.GetInt64(0);
            var known = _handedOver ? WithoutDetectingChanges(() => db.People.Local.FindEntry(id))?.Entity : _tracking.FindPerson(id);
            if (known is not null)
            {
                return known;
            }

            var person = new Person
            {
                Id = id,
                WorkspaceId = statement.GetInt32(1),
                CioId = statement.GetString(2),
                ExternalId = statement.GetStringOrNull(3),
                Email = statement.GetStringOrNull(4),
                EmailNormalized = statement.GetStringOrNull(5),
                EmailUniqueKey = statement.GetStringOrNull(6),
                FirstSeenMs = statement.GetInt64(7),
                CreatedAt = statement.GetInt64(8),
                UpdatedMs = statement.GetInt64(9),
                ExternalIdChangedMs = statement.GetInt64OrNull(10),
                EmailChangedMs = statement.GetInt64OrNull(11),
                Unsubscribed = statement.GetInt64(12) != 0,
                LastImportId = statement.GetInt64OrNull(13),
                CreatedAtChangedMs = statement.GetInt64OrNull(14),
                UnsubscribedChangedMs = statement.GetInt64OrNull(15),
            };
            if (_handedOver)
            {
                db.People.Attach(person);
            }
            else
            {
                _tracking.PersonRead(person);
            }

            return person;
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// Looks into the change tracker without its change detection over everything tracked, which EF Core runs
    /// whenever a <c>Local</c> view is taken: the save detects the operation's changes once.
    /// </summary>
    private T WithoutDetectingChanges<T>(Func<T> look)
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

    /// <summary>
    /// Updates only the columns that changed: SQLite then touches only the indexes on them (an attribute update
    /// changes <c>UpdatedMs</c> alone). One statement is prepared per set of columns.
    /// </summary>
    private void UpdatePerson(Person person, int columns)
    {
        if (!_personUpdates.TryGetValue(columns, out var statement))
        {
            var set = new List<string>();
            for (var i = 0; i < UpdatableColumns.Length; i++)
            {
                if ((columns & (1 << i)) != 0)
                {
                    set.Add($"{UpdatableColumns[i].Column} = ?{set.Count + 1}");
                }
            }

            statement = Statement($"UPDATE People SET {string.Join(", ", set)} WHERE Id = ?{set.Count + 1}");
            _personUpdates[columns] = statement;
        }

        var index = 0;
        for (var i = 0; i < UpdatableColumns.Length; i++)
        {
            if ((columns & (1 << i)) == 0)
            {
                continue;
            }

            index++;
            _ = UpdatableColumns[i].Value(person) switch
            {
                null => statement.Bind(index, (string?)null),
                string text => statement.Bind(index, text),
                bool flag => statement.Bind(index, flag),
                long number => statement.Bind(index, number),
                int number => statement.Bind(index, (long)number),
                var other => throw new InvalidOperationException($"People.{UpdatableColumns[i].Column} holds a {other.GetType().Name}, which the hot path does not bind."),
            };
        }

        statement.Bind(index + 1, person.Id).Execute();
    }
}

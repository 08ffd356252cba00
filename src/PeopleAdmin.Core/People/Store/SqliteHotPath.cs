using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// SQLite's fast path for the writer's everyday work (identify, events): people and attributes are read with
/// prepared statements and attached to the context, so that the rules see the same tracked entities as before;
/// the changes the rules make are written with prepared statements instead of <c>SaveChanges</c> when they are of
/// the everyday kinds (new and changed people, attributes, the workspace's cio_id counter); new activity entries
/// are held here, untracked, and inserted at the save. Anything else (a merge, a delete, suppressions, devices,
/// segments, settings) is left to EF Core's <c>SaveChanges</c>, which then saves the whole unit as it always did.
/// The statements are prepared once per writer connection.
/// </summary>
internal sealed class SqliteHotPath(PeopleAdminDbContext db, SqliteStatementCache statements) : SqliteStatements(statements)
{
    private const string PersonColumns =
        "Id, WorkspaceId, CioId, ExternalId, Email, EmailNormalized, EmailUniqueKey, FirstSeenMs, CreatedAt, UpdatedMs, " +
        "ExternalIdChangedMs, EmailChangedMs, Unsubscribed, LastImportId";

    private readonly List<EntityEntry> _entries = [];
    private readonly List<EntityEntry> _tracked = [];
    private readonly List<Activity> _activities = [];
    private readonly Dictionary<string, SqliteStatement> _personUpdates = new(StringComparer.Ordinal);
    private readonly List<PropertyEntry> _changed = [];
    private readonly Dictionary<int, bool> _anySuppressions = [];
    private SqliteStatement? _personByCioId;
    private SqliteStatement? _personById;
    private SqliteStatement? _personByEmail;
    private SqliteStatement? _attributesOf;
    private SqliteStatement? _eventIdSeen;
    private SqliteStatement? _workspaceCounter;
    private SqliteStatement? _suppressionsOf;
    private SqliteStatement? _savepoint;
    private SqliteStatement? _release;
    private SqliteStatement? _rollback;
    private SqliteStatement? _updateAttribute;
    private SqliteStatement? _deleteAttribute;
    private SqliteStatement? _updateCounter;

    // Reads: each answers the tracked entity when the context already tracks it (as an EF Core query would).

    public Task<Person?> FindPersonByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) =>
        Task.FromResult(ReadPerson(_personByCioId ??= Statement($"SELECT {PersonColumns} FROM People WHERE WorkspaceId = ?1 AND CioId = ?2 LIMIT 1"), workspaceId, cioId));

    public Task<Person?> FindPersonByExternalIdAsync(int workspaceId, string id, CancellationToken ct) =>
        Task.FromResult(ReadPerson(_personById ??= Statement($"SELECT {PersonColumns} FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1"), workspaceId, id));

    public Task<Person?> FindPersonByEmailKeyAsync(int workspaceId, string emailKey, CancellationToken ct) =>
        Task.FromResult(ReadPerson(_personByEmail ??= Statement($"SELECT {PersonColumns} FROM People WHERE WorkspaceId = ?1 AND EmailUniqueKey = ?2 LIMIT 1"), workspaceId, emailKey));

    public Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(long personId, CancellationToken ct)
    {
        var statement = (_attributesOf ??= Statement($"SELECT {AttributeColumns} FROM PersonAttributes WHERE PersonId = ?1")).Bind(1, personId);
        var attributes = new Dictionary<string, PersonAttribute>(StringComparer.Ordinal);
        var local = WithoutDetectingChanges(() => db.PersonAttributes.Local);
        while (statement.Step())
        {
            var name = statement.GetString(2);
            var tracked = local.FindEntryUntyped([personId, name]);
            if (tracked is not null)
            {
                attributes[name] = tracked.Entity;
                continue;
            }

            var attribute = new PersonAttribute
            {
                PersonId = statement.GetInt64(0),
                WorkspaceId = statement.GetInt32(1),
                Name = name,
                Type = (AttributeType)statement.GetInt32(3),
                TextValue = statement.GetString(4),
                NumberValue = statement.GetDoubleOrNull(5),
                SetMs = statement.GetInt64(6),
                Timestamp = statement.GetInt64OrNull(7),
            };
            db.PersonAttributes.Attach(attribute);
            attributes[name] = attribute;
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

    // Each operation runs in a savepoint of the writer's transaction, so that a failing one fails alone.

    public void Savepoint() => (_savepoint ??= Statement("SAVEPOINT operation")).Execute();

    public void ReleaseSavepoint() => (_release ??= Statement("RELEASE operation")).Execute();

    public void RollbackToSavepoint()
    {
        (_rollback ??= Statement("ROLLBACK TO operation")).Execute();
        ReleaseSavepoint();
    }

    // Writes.

    /// <summary>
    /// An activity entry to insert at the next save. Entries are only ever inserted, so they are kept here rather
    /// than in the change tracker (tracking them was a large share of an identify's cost).
    /// </summary>
    public void AddActivity(Activity activity) => _activities.Add(activity);

    /// <summary>
    /// Saves what the context tracks and the new activity entries: with prepared statements when every change is
    /// of the everyday kinds, else through <c>SaveChanges</c>. Either way, the context afterwards tracks
    /// everything as unchanged.
    /// </summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        if (!CollectEverydayChanges())
        {
            db.Activities.AddRange(_activities);
            _activities.Clear();
            await db.SaveChangesAsync(ct);
            return;
        }

        if (_entries.Count == 0 && _activities.Count == 0)
        {
            return;
        }

        // People first (new rows get their keys), then what refers to them.
        foreach (var entry in _entries)
        {
            if (entry.Entity is Person person)
            {
                if (entry.State == EntityState.Added)
                {
                    InsertPerson(person);
                }
                else
                {
                    UpdatePerson(entry);
                }
            }
        }

        foreach (var entry in _entries)
        {
            switch (entry.Entity)
            {
                case PersonAttribute attribute when entry.State == EntityState.Deleted:
                    (_deleteAttribute ??= Statement("DELETE FROM PersonAttributes WHERE PersonId = ?1 AND Name = ?2"))
                        .Bind(1, attribute.PersonId).Bind(2, attribute.Name).Execute();
                    break;
                case PersonAttribute attribute when entry.State == EntityState.Added:
                    InsertAttribute(attribute);
                    break;
                case PersonAttribute attribute:
                    BindAttribute(
                        _updateAttribute ??= Statement("UPDATE PersonAttributes SET WorkspaceId = ?2, Type = ?4, TextValue = ?5, NumberValue = ?6, SetMs = ?7, Timestamp = ?8 WHERE PersonId = ?1 AND Name = ?3"),
                        attribute).Execute();
                    break;
                case Workspace workspace:
                    (_updateCounter ??= Statement("UPDATE Workspaces SET NextCioNumber = ?1 WHERE Id = ?2"))
                        .Bind(1, workspace.NextCioNumber).Bind(2, workspace.Id).Execute();
                    break;
            }
        }

        foreach (var activity in _activities)
        {
            activity.Id = InsertActivity(activity);
        }

        _activities.Clear();

        // The rows are written: the context now holds them as unchanged, new ones under their real keys.
        foreach (var entry in _entries)
        {
            if (entry.State == EntityState.Added && entry.Entity is Person)
            {
                entry.State = EntityState.Detached;
                db.Attach(entry.Entity);
            }
        }

        db.ChangeTracker.AcceptAllChanges();
        _entries.Clear();
    }

    /// <summary>Forgets unsaved entries, after the operation was rolled back to its savepoint.</summary>
    public void Reset()
    {
        _activities.Clear();
        _anySuppressions.Clear();
    }

    /// <summary>
    /// Gathers the tracked changes into <see cref="_entries"/>; false when one of them is not an everyday change,
    /// when more than one person changes at once (EF Core orders those writes around the unique indexes), or when
    /// an entry names a person not written yet. Changes are detected entry by entry, and the workspace's without EF
    /// Core's comparers: the settings' list of blocked values has a comparer that builds delegates on every
    /// comparison, which made change detection the largest single cost of an identify. <c>SaveChanges</c>, when it
    /// is needed, detects everything itself.
    /// </summary>
    private bool CollectEverydayChanges()
    {
        _entries.Clear();
        if (_activities.Exists(a => a.PersonId == 0))
        {
            return false;
        }

        _tracked.Clear();
        _tracked.AddRange(WithoutDetectingChanges(() => db.ChangeTracker.Entries()));
        var people = 0;
        foreach (var entry in _tracked)
        {
            var everyday = entry.Entity switch
            {
                Workspace => WorkspaceCounterOnly(entry),
                WorkspaceSettings => !AnyPropertyChanged(entry),
                _ => DetectedEverydayChange(entry, ref people),
            };
            if (!everyday)
            {
                _entries.Clear();
                return false;
            }

            if (entry.State != EntityState.Unchanged)
            {
                _entries.Add(entry);
            }
        }

        return true;
    }

    private static bool DetectedEverydayChange(EntityEntry entry, ref int people)
    {
        if (entry.State == EntityState.Unchanged)
        {
            entry.DetectChanges();
        }

        return (entry.Entity, entry.State) switch
        {
            (_, EntityState.Unchanged) => true,
            (Person p, EntityState.Added) => p.Id == 0 && ++people == 1,
            (Person, EntityState.Modified) => ++people == 1,
            (PersonAttribute a, EntityState.Added or EntityState.Modified or EntityState.Deleted) => a.PersonId > 0,
            _ => false,
        };
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
            if (WithoutDetectingChanges(() => db.People.Local.FindEntry(id)) is { } tracked)
            {
                return tracked.Entity;
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
            };
            db.People.Attach(person);
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
    private void UpdatePerson(EntityEntry entry)
    {
        _changed.Clear();
        foreach (var property in entry.Properties)
        {
            if (property.IsModified)
            {
                _changed.Add(property);
            }
        }

        if (_changed.Count == 0)
        {
            return;
        }

        var key = string.Join(',', _changed.Select(p => p.Metadata.Name));
        if (!_personUpdates.TryGetValue(key, out var statement))
        {
            var set = string.Join(", ", _changed.Select((p, i) => $"{p.Metadata.GetColumnName()} = ?{i + 1}"));
            statement = Statement($"UPDATE People SET {set} WHERE Id = ?{_changed.Count + 1}");
            _personUpdates[key] = statement;
        }

        for (var i = 0; i < _changed.Count; i++)
        {
            var index = i + 1;
            _ = _changed[i].CurrentValue switch
            {
                null => statement.Bind(index, (string?)null),
                string text => statement.Bind(index, text),
                bool flag => statement.Bind(index, flag),
                int number => statement.Bind(index, number),
                long number => statement.Bind(index, number),
                var other => throw new InvalidOperationException($"People.{_changed[i].Metadata.Name} holds a {other.GetType().Name}, which the hot path does not bind."),
            };
        }

        statement.Bind(_changed.Count + 1, ((Person)entry.Entity).Id).Execute();
    }
}

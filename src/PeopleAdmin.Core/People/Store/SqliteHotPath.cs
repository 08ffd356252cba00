using System.Data.Common;
using Microsoft.Data.Sqlite;
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
/// The statements are prepared once per writer transaction.
/// </summary>
internal sealed class SqliteHotPath(PeopleAdminDbContext db, DbConnection connection, DbTransaction transaction) : SqliteStatements(connection, transaction)
{
    private const string PersonColumns =
        "Id, WorkspaceId, CioId, ExternalId, Email, EmailNormalized, EmailUniqueKey, FirstSeenMs, CreatedAt, UpdatedMs, " +
        "ExternalIdChangedMs, EmailChangedMs, Unsubscribed, LastImportId";

    private const string AttributeColumns = "PersonId, WorkspaceId, Name, Type, TextValue, NumberValue, SetMs, Timestamp";

    private readonly List<EntityEntry> _entries = [];
    private readonly List<Activity> _activities = [];
    private readonly Dictionary<string, SqliteCommand> _personUpdates = new(StringComparer.Ordinal);
    private readonly List<PropertyEntry> _changed = [];
    private SqliteCommand? _personByCioId;
    private SqliteCommand? _personById;
    private SqliteCommand? _personByEmail;
    private SqliteCommand? _attributesOf;
    private SqliteCommand? _eventIdSeen;
    private SqliteCommand? _savepoint;
    private SqliteCommand? _release;
    private SqliteCommand? _rollback;
    private SqliteCommand? _updateAttribute;
    private SqliteCommand? _deleteAttribute;
    private SqliteCommand? _updateCounter;

    // Reads: each answers the tracked entity when the context already tracks it (as an EF Core query would).

    public Task<Person?> FindPersonByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) =>
        ReadPersonAsync(_personByCioId ??= Prepare($"SELECT {PersonColumns} FROM People WHERE WorkspaceId = $w AND CioId = $v LIMIT 1", "$w", "$v"), workspaceId, cioId, ct);

    public Task<Person?> FindPersonByExternalIdAsync(int workspaceId, string id, CancellationToken ct) =>
        ReadPersonAsync(_personById ??= Prepare($"SELECT {PersonColumns} FROM People WHERE WorkspaceId = $w AND ExternalId = $v LIMIT 1", "$w", "$v"), workspaceId, id, ct);

    public Task<Person?> FindPersonByEmailKeyAsync(int workspaceId, string emailKey, CancellationToken ct) =>
        ReadPersonAsync(_personByEmail ??= Prepare($"SELECT {PersonColumns} FROM People WHERE WorkspaceId = $w AND EmailUniqueKey = $v LIMIT 1", "$w", "$v"), workspaceId, emailKey, ct);

    public async Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(long personId, CancellationToken ct)
    {
        var command = _attributesOf ??= Prepare($"SELECT {AttributeColumns} FROM PersonAttributes WHERE PersonId = $p", "$p");
        command.Parameters[0].Value = personId;
        var attributes = new Dictionary<string, PersonAttribute>(StringComparer.Ordinal);
        var local = db.PersonAttributes.Local;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(2);
            var tracked = local.FindEntryUntyped([personId, name]);
            if (tracked is not null)
            {
                attributes[name] = tracked.Entity;
                continue;
            }

            var attribute = new PersonAttribute
            {
                PersonId = reader.GetInt64(0),
                WorkspaceId = reader.GetInt32(1),
                Name = name,
                Type = (AttributeType)reader.GetByte(3),
                TextValue = reader.GetString(4),
                NumberValue = reader.IsDBNull(5) ? null : reader.GetDouble(5),
                SetMs = reader.GetInt64(6),
                Timestamp = reader.IsDBNull(7) ? null : reader.GetInt64(7),
            };
            db.PersonAttributes.Attach(attribute);
            attributes[name] = attribute;
        }

        return attributes;
    }

    public async Task<bool> EventIdSeenAsync(int workspaceId, string eventId, CancellationToken ct)
    {
        var command = _eventIdSeen ??= Prepare("SELECT 1 FROM Activities WHERE WorkspaceId = $w AND DedupId = $v LIMIT 1", "$w", "$v");
        command.Parameters[0].Value = workspaceId;
        command.Parameters[1].Value = eventId;
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    // Each operation runs in a savepoint of the writer's transaction, so that a failing one fails alone.

    public void Savepoint() => (_savepoint ??= Prepare("SAVEPOINT operation")).ExecuteNonQuery();

    public void ReleaseSavepoint() => (_release ??= Prepare("RELEASE operation")).ExecuteNonQuery();

    public void RollbackToSavepoint()
    {
        (_rollback ??= Prepare("ROLLBACK TO operation")).ExecuteNonQuery();
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
                    await UpdatePersonAsync(entry, ct);
                }
            }
        }

        foreach (var entry in _entries)
        {
            switch (entry.Entity)
            {
                case PersonAttribute attribute when entry.State == EntityState.Deleted:
                    await DeleteAttributeAsync(attribute, ct);
                    break;
                case PersonAttribute attribute when entry.State == EntityState.Added:
                    InsertAttribute(attribute);
                    break;
                case PersonAttribute attribute:
                    var update = _updateAttribute ??= Prepare(
                        "UPDATE PersonAttributes SET WorkspaceId = $w, Type = $t, TextValue = $x, NumberValue = $y, SetMs = $s, Timestamp = $ts WHERE PersonId = $p AND Name = $n",
                        AttributeParameters);
                    BindAttribute(update, attribute);
                    await update.ExecuteNonQueryAsync(ct);
                    break;
                case Workspace workspace:
                    var counter = _updateCounter ??= Prepare("UPDATE Workspaces SET NextCioNumber = $n WHERE Id = $id", "$n", "$id");
                    counter.Parameters[0].Value = workspace.NextCioNumber;
                    counter.Parameters[1].Value = workspace.Id;
                    await counter.ExecuteNonQueryAsync(ct);
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
    public void Reset() => _activities.Clear();

    /// <summary>
    /// Gathers the tracked changes into <see cref="_entries"/>; false when one of them is not an everyday change,
    /// when more than one person changes at once (EF Core orders those writes around the unique indexes), or when
    /// an entry names a person not written yet.
    /// </summary>
    private bool CollectEverydayChanges()
    {
        _entries.Clear();
        if (_activities.Exists(a => a.PersonId == 0))
        {
            return false;
        }

        var people = 0;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Unchanged)
            {
                continue;
            }

            var everyday = (entry.Entity, entry.State) switch
            {
                (Person p, EntityState.Added) => p.Id == 0 && ++people == 1,
                (Person, EntityState.Modified) => ++people == 1,
                (PersonAttribute a, EntityState.Added or EntityState.Modified or EntityState.Deleted) => a.PersonId > 0,
                (Workspace, EntityState.Modified) => entry.Properties.All(p => !p.IsModified || p.Metadata.Name == nameof(Workspace.NextCioNumber)),
                _ => false,
            };
            if (!everyday)
            {
                _entries.Clear();
                return false;
            }

            _entries.Add(entry);
        }

        return true;
    }

    private async Task<Person?> ReadPersonAsync(SqliteCommand command, int workspaceId, string value, CancellationToken ct)
    {
        command.Parameters[0].Value = workspaceId;
        command.Parameters[1].Value = value;
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var id = reader.GetInt64(0);
        if (db.People.Local.FindEntry(id) is { } tracked)
        {
            return tracked.Entity;
        }

        var person = new Person
        {
            Id = id,
            WorkspaceId = reader.GetInt32(1),
            CioId = reader.GetString(2),
            ExternalId = reader.IsDBNull(3) ? null : reader.GetString(3),
            Email = reader.IsDBNull(4) ? null : reader.GetString(4),
            EmailNormalized = reader.IsDBNull(5) ? null : reader.GetString(5),
            EmailUniqueKey = reader.IsDBNull(6) ? null : reader.GetString(6),
            FirstSeenMs = reader.GetInt64(7),
            CreatedAt = reader.GetInt64(8),
            UpdatedMs = reader.GetInt64(9),
            ExternalIdChangedMs = reader.IsDBNull(10) ? null : reader.GetInt64(10),
            EmailChangedMs = reader.IsDBNull(11) ? null : reader.GetInt64(11),
            Unsubscribed = reader.GetBoolean(12),
            LastImportId = reader.IsDBNull(13) ? null : reader.GetInt64(13),
        };
        db.People.Attach(person);
        return person;
    }

    /// <summary>
    /// Updates only the columns that changed: SQLite then touches only the indexes on them (an attribute update
    /// changes <c>UpdatedMs</c> alone). One statement is prepared per set of columns.
    /// </summary>
    private async Task UpdatePersonAsync(EntityEntry entry, CancellationToken ct)
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
        if (!_personUpdates.TryGetValue(key, out var command))
        {
            var set = string.Join(", ", _changed.Select((p, i) => $"{p.Metadata.GetColumnName()} = $c{i}"));
            command = Prepare($"UPDATE People SET {set} WHERE Id = $key", [.. _changed.Select((_, i) => "$c" + i), "$key"]);
            _personUpdates[key] = command;
        }

        for (var i = 0; i < _changed.Count; i++)
        {
            command.Parameters[i].Value = _changed[i].CurrentValue ?? DBNull.Value;
        }

        command.Parameters[_changed.Count].Value = ((Person)entry.Entity).Id;
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task DeleteAttributeAsync(PersonAttribute attribute, CancellationToken ct)
    {
        var command = _deleteAttribute ??= Prepare("DELETE FROM PersonAttributes WHERE PersonId = $p AND Name = $n", "$p", "$n");
        command.Parameters[0].Value = attribute.PersonId;
        command.Parameters[1].Value = attribute.Name;
        await command.ExecuteNonQueryAsync(ct);
    }
}

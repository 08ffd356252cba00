using Npgsql;
using NpgsqlTypes;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// PostgreSQL's bulk create: people, their entries and their attributes are held and written at <see cref="Flush"/>,
/// a few rows as inserts that go in front of the connection's next read, more by one binary <c>COPY</c> per table. A person held gets a
/// stand-in key (negative, unique among those held); the flush takes the real keys from the table's own sequence, in
/// the order people were added (so the everyday path's inserts never collide with them), and puts them into the
/// people and into the entries and attributes that name them. The identifiers held are answered from memory until
/// they are in the table. The reads are prepared statements, kept with the writer's connection.
/// Plain updates read their people with their attributes in the chunk's probe (one query), change them in memory, and
/// are written at the flush by one <c>COPY</c> per table into a temporary table and one <c>UPDATE … FROM</c>,
/// <c>INSERT … ON CONFLICT</c> and <c>DELETE … USING</c> from each (a few rows as held statements instead).
/// </summary>
internal sealed class PostgresBulkCreate(PeopleAdminDbContext db, PostgresCommands commands, PostgresRowCounter.Count rowsWritten) : IBulkCreate
{
    /// <summary>A flush of at most this many rows (an identify's new person) is held inserts, not a key read and three copies.</summary>
    private const int MostRowsInOneBatch = 64;

    private const string PeopleSequence = """pg_get_serial_sequence('"People"', 'Id')""";

    private const string UpdatedPeople = "BulkUpdatedPeople";
    private const string SetAttributes = "BulkSetAttributes";
    private const string RemovedAttributes = "BulkRemovedAttributes";

    /// <summary>The person's columns that a plain update changes (<see cref="IBulkCreate.UpdatePerson"/>).</summary>
    private static readonly string[] UpdatedColumns =
        [nameof(Person.CreatedAt), nameof(Person.CreatedAtChangedMs), nameof(Person.Unsubscribed), nameof(Person.UnsubscribedChangedMs), nameof(Person.UpdatedMs)];

    private readonly PostgresCopy<Person> _copyPeople = new(db.Model, withKey: true);
    private readonly PostgresCopy<Activity> _copyActivities = new(db.Model, withKey: false);
    private readonly PostgresCopy<PersonAttribute> _copyAttributes = new(db.Model, withKey: true);
    private readonly List<Person> _people = [];
    private readonly List<Activity> _activities = [];
    private readonly List<PersonAttribute> _attributes = [];
    private readonly HashSet<(int Workspace, string Id)> _heldIds = [];
    private readonly HashSet<(int Workspace, string EmailKey)> _heldEmails = [];
    private readonly HashSet<(int Workspace, IdentifierKind Kind, string Value)> _probed = [];
    private readonly HashSet<(int Workspace, IdentifierKind Kind, string Value)> _probedHeld = [];
    private readonly PostgresCopy<Person> _copyUpdatedPeople = new(db.Model, withKey: true, into: UpdatedPeople);
    private readonly PostgresCopy<PersonAttribute> _copySetAttributes = new(db.Model, withKey: true, into: SetAttributes);
    private readonly PostgresCopy<PersonAttribute> _copyRemovedAttributes = new(db.Model, withKey: true, into: RemovedAttributes);
    private readonly Dictionary<(int Workspace, IdentifierKind Kind, string Value), PersonForUpdate> _forUpdate = [];
    private readonly Dictionary<long, Person> _updatedPeople = [];
    private readonly Dictionary<(long PersonId, string Name), (PersonAttribute Attribute, bool Removed)> _attributeChanges = [];

    public bool IsIdHeld(int workspaceId, string id) => IsAnyHeld(workspaceId, id, null);

    public bool IsEmailHeld(int workspaceId, string emailKey) => IsAnyHeld(workspaceId, null, emailKey);

    /// <summary>
    /// A chunk's identifiers in one round trip (a range of each unique index per value), with the people who hold them and
    /// their attributes, so that an import's new people cost no probe each and its plain updates no read each. What other
    /// writers add after it is caught by the unique indexes (the writer then runs the batch again, and this probe sees them).
    /// </summary>
    public void Probe(int workspaceId, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> emailKeys)
    {
        _probed.Clear();
        _probedHeld.Clear();
        _forUpdate.Clear();
        ReadForUpdate(
            $"""p."WorkspaceId" = $1 AND (p."ExternalId" = ANY($2) OR ({PostgresHotPath.HoldsIdentifyingEmail("ANY($3)")}))""",
            (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Array | NpgsqlDbType.Text, ids.ToArray()), (NpgsqlDbType.Array | NpgsqlDbType.Text, emailKeys.ToArray()));
        _probed.UnionWith(ids.Select(id => (workspaceId, IdentifierKind.Id, id)));
        _probed.UnionWith(emailKeys.Select(email => (workspaceId, IdentifierKind.Email, email)));
    }

    /// <summary>The people the condition finds, with their attributes (a row per attribute), kept for plain updates and held as probed.</summary>
    private void ReadForUpdate(string where, params (NpgsqlDbType Type, object? Value)[] parameters)
    {
        var columns = PersonRow.Columns.Count;
        using var reader = commands.Read(
            $"""SELECT {PostgresHotPath.PersonColumns}, {PostgresHotPath.AttributeList} FROM "People" p LEFT JOIN "PersonAttributes" a ON a."WorkspaceId" = p."WorkspaceId" AND a."PersonId" = p."Id" WHERE {where}""",
            parameters);
        PersonForUpdate? current = null;
        while (reader.Read())
        {
            if (current?.Person.Id != reader.GetInt64(0))
            {
                current = new PersonForUpdate(PostgresHotPath.Person(reader), new Dictionary<string, PersonAttribute>(StringComparer.Ordinal));
                var person = current.Person;
                if (person.ExternalId is { } id)
                {
                    _probedHeld.Add((person.WorkspaceId, IdentifierKind.Id, id));
                    _forUpdate[(person.WorkspaceId, IdentifierKind.Id, id)] = current;
                }

                if (person.IdentifyingEmail is { } emailKey)
                {
                    _probedHeld.Add((person.WorkspaceId, IdentifierKind.Email, emailKey));
                    _forUpdate[(person.WorkspaceId, IdentifierKind.Email, emailKey)] = current;
                }
            }

            if (!reader.IsDBNull(columns))
            {
                var attribute = PostgresHotPath.Attribute(reader, columns);
                current.Attributes[attribute.Name] = attribute;
            }
        }
    }

    /// <summary>From the chunk's probe, else read now (with a person's other identifier, who may be read already: then that copy).</summary>
    public PersonForUpdate? FindForUpdate(int workspaceId, IdentifierKind kind, string valueKey)
    {
        if (kind == IdentifierKind.Id ? _heldIds.Contains((workspaceId, valueKey)) : _heldEmails.Contains((workspaceId, valueKey)))
        {
            return null;
        }

        var key = (workspaceId, kind, valueKey);
        if (!_probed.Contains(key))
        {
            var known = _forUpdate.Values.Select(p => p.Person.Id).ToHashSet();
            var held = kind == IdentifierKind.Id ? """p."ExternalId" = $2""" : PostgresHotPath.HoldsIdentifyingEmail("$2");
            ReadForUpdate($"""p."WorkspaceId" = $1 AND {held} AND NOT (p."Id" = ANY($3))""",
                (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Text, valueKey), (NpgsqlDbType.Array | NpgsqlDbType.Bigint, known.ToArray()));
            _probed.Add(key);
        }

        return _forUpdate.GetValueOrDefault(key);
    }

    public void UpdatePerson(Person person) => _updatedPeople[person.Id] = person;

    public void SetAttribute(PersonAttribute attribute) => _attributeChanges[(attribute.PersonId, attribute.Name)] = (attribute, false);

    public void RemoveAttribute(PersonAttribute attribute) => _attributeChanges[(attribute.PersonId, attribute.Name)] = (attribute, true);

    /// <summary>Both identifiers of a new person in one round trip, unless the chunk's probe answered them already.</summary>
    public bool IsAnyHeld(int workspaceId, string? id, string? emailKey)
    {
        if ((id is not null && _heldIds.Contains((workspaceId, id))) || (emailKey is not null && _heldEmails.Contains((workspaceId, emailKey))))
        {
            return true;
        }

        bool? Probed(IdentifierKind kind, string? value) =>
            value is null ? false : _probed.Contains((workspaceId, kind, value)) ? _probedHeld.Contains((workspaceId, kind, value)) : null;

        return (Probed(IdentifierKind.Id, id), Probed(IdentifierKind.Email, emailKey)) switch
        {
            (true, _) or (_, true) => true,
            (false, false) => false,
            _ => commands.Exists(
            $"""
            SELECT 1 WHERE EXISTS (SELECT 1 FROM "People" WHERE "WorkspaceId" = $1 AND "ExternalId" = $2)
                OR EXISTS (SELECT 1 FROM "People" WHERE "WorkspaceId" = $1 AND {PostgresHotPath.HoldsIdentifyingEmail("$3", alias: "")})
            """,
            (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Text, id), (NpgsqlDbType.Text, emailKey)),
        };
    }

    public bool AnySuppressions(int workspaceId) => PostgresHotPath.AnySuppressions(commands, workspaceId);

    public bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) => PostgresHotPath.IsSuppressed(commands, workspaceId, kind, valueKey);

    public void InsertPerson(Person person)
    {
        _people.Add(person);
        person.Id = -_people.Count;
        if (person.ExternalId is { } id)
        {
            _heldIds.Add((person.WorkspaceId, id));
        }

        if (person.IdentifyingEmail is { } emailKey)
        {
            _heldEmails.Add((person.WorkspaceId, emailKey));
        }
    }

    public void InsertActivity(Activity activity) => _activities.Add(activity);

    public void InsertAttribute(PersonAttribute attribute) => _attributes.Add(attribute);

    public void Flush()
    {
        if (_people.Count + _activities.Count + _attributes.Count <= MostRowsInOneBatch)
        {
            HoldInserts();
        }
        else
        {
            // People first: entries and attributes refer to them.
            commands.Send();
            GiveKeys(ReadKeys(_people.Count));
            var connection = commands.Connection;
            rowsWritten.Add((long)(_copyPeople.Write(connection, _people) + _copyActivities.Write(connection, _activities) + _copyAttributes.Write(connection, _attributes)));
        }

        WriteUpdates();
        Discard();
    }

    /// <summary>
    /// The plain updates' rows: a few as held statements; more copied into temporary tables (the session's own, emptied
    /// first) and applied by one statement per table, held until the next round trip like any write.
    /// </summary>
    private void WriteUpdates()
    {
        var set = _attributeChanges.Values.Where(c => !c.Removed).Select(c => c.Attribute).ToList();
        var removed = _attributeChanges.Values.Where(c => c.Removed).Select(c => c.Attribute).ToList();
        var people = _updatedPeople.Values.ToList();
        if (people.Count + set.Count + removed.Count == 0)
        {
            return;
        }

        if (people.Count + set.Count + removed.Count <= MostRowsInOneBatch)
        {
            people.ForEach(person => commands.Hold(UpdatePersonStatement(person)));
            set.ForEach(attribute => commands.Hold(_copyAttributes.Insert(attribute, tail: AttributeUpsert)));
            removed.ForEach(attribute => commands.Hold(
                """DELETE FROM "PersonAttributes" WHERE "WorkspaceId" = $1 AND "PersonId" = $2 AND "Name" = $3""",
                (NpgsqlDbType.Integer, attribute.WorkspaceId), (NpgsqlDbType.Bigint, attribute.PersonId), (NpgsqlDbType.Text, attribute.Name)));
            return;
        }

        foreach (var (table, like) in new[] { (UpdatedPeople, "People"), (SetAttributes, "PersonAttributes"), (RemovedAttributes, "PersonAttributes") })
        {
            commands.Hold($"""CREATE TEMPORARY TABLE IF NOT EXISTS "{table}" (LIKE "{like}")""");
        }

        commands.Hold($"""TRUNCATE "{UpdatedPeople}", "{SetAttributes}", "{RemovedAttributes}" """);
        commands.Send();
        var connection = commands.Connection;
        _copyUpdatedPeople.Write(connection, people);
        _copySetAttributes.Write(connection, set);
        _copyRemovedAttributes.Write(connection, removed);
        var columns = _copyAttributes.Columns.Select(c => $"\"{c}\"").ToList();
        commands.Hold(
            $"""UPDATE "People" p SET {string.Join(", ", UpdatedColumns.Select(c => $"\"{c}\" = u.\"{c}\""))} FROM "{UpdatedPeople}" u WHERE p."WorkspaceId" = u."WorkspaceId" AND p."Id" = u."Id" """);
        commands.Hold($"""INSERT INTO "PersonAttributes" ({string.Join(", ", columns)}) SELECT {string.Join(", ", columns)} FROM "{SetAttributes}" {AttributeUpsert}""");
        commands.Hold($"""DELETE FROM "PersonAttributes" a USING "{RemovedAttributes}" r WHERE a."WorkspaceId" = r."WorkspaceId" AND a."PersonId" = r."PersonId" AND a."Name" = r."Name" """);
    }

    private NpgsqlBatchCommand UpdatePersonStatement(Person person)
    {
        var command = new NpgsqlBatchCommand(
            $"""UPDATE "People" SET {string.Join(", ", UpdatedColumns.Select((c, i) => $"\"{c}\" = ${i + 1}"))} WHERE "WorkspaceId" = ${UpdatedColumns.Length + 1} AND "Id" = ${UpdatedColumns.Length + 2}""");
        foreach (var column in UpdatedColumns)
        {
            command.Parameters.Add(new NpgsqlParameter { DataTypeName = _copyPeople.DataType(column), Value = PersonRow.Writable.Single(w => w.Column == column).Value(person) ?? DBNull.Value });
        }

        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = person.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = person.Id });
        return command;
    }

    /// <summary>As the everyday path's: the attribute's key stays, every other column takes the new row's value.</summary>
    private string AttributeUpsert =>
        field ??= """ON CONFLICT ("WorkspaceId", "PersonId", "Name") DO UPDATE SET """
            + string.Join(", ", _copyAttributes.Columns.Where(c => c is not ("WorkspaceId" or "PersonId" or "Name")).Select(c => $"\"{c}\" = EXCLUDED.\"{c}\""));

    public void Discard()
    {
        _people.Clear();
        _activities.Clear();
        _attributes.Clear();
        _heldIds.Clear();
        _heldEmails.Clear();
        _probed.Clear();
        _probedHeld.Clear();
        _forUpdate.Clear();
        _updatedPeople.Clear();
        _attributeChanges.Clear();
    }

    /// <summary>
    /// Each person's insert takes its key from the sequence and answers it; the entries and attributes that follow it
    /// name it by <c>currval</c>. They are held until the next round trip (<see cref="PostgresCommands"/>), so that a new
    /// person costs no round trip of its own and no read of keys before it.
    /// </summary>
    private void HoldInserts()
    {
        var activities = _activities.Where(a => a.PersonId < 0).ToLookup(a => a.PersonId!.Value);
        var attributes = _attributes.Where(a => a.PersonId < 0).ToLookup(a => a.PersonId);
        var people = _people.ToDictionary(p => p.Id);

        // The entries keep their order (a plain update's may fall between new people's): a new person goes in at their first.
        foreach (var activity in _activities)
        {
            if (activity.PersonId is not { } standIn || standIn >= 0)
            {
                commands.Hold(_copyActivities.Insert(activity));
            }
            else if (people.Remove(standIn, out var person))
            {
                HoldPerson(person, [.. activities[standIn]], [.. attributes[standIn]]);
            }
        }

        foreach (var person in people.Values)
        {
            HoldPerson(person, [], [.. attributes[person.Id]]);
        }

        foreach (var attribute in _attributes.Where(a => a.PersonId >= 0))
        {
            commands.Hold(_copyAttributes.Insert(attribute));
        }
    }

    private void HoldPerson(Person person, List<Activity> itsActivities, List<PersonAttribute> itsAttributes)
    {
        commands.Hold(_copyPeople.Insert(person, (nameof(Person.Id), $"nextval({PeopleSequence})"), """RETURNING "Id" """), key =>
        {
            person.Id = key;
            itsActivities.ForEach(a => a.PersonId = key);
            itsAttributes.ForEach(a => a.PersonId = key);
        });
        foreach (var activity in itsActivities)
        {
            commands.Hold(_copyActivities.Insert(activity, (nameof(Activity.PersonId), $"currval({PeopleSequence})")));
        }

        foreach (var attribute in itsAttributes)
        {
            commands.Hold(_copyAttributes.Insert(attribute, (nameof(PersonAttribute.PersonId), $"currval({PeopleSequence})")));
        }
    }

    /// <summary>The next <paramref name="count"/> keys of the people's sequence, in one round trip.</summary>
    private List<long> ReadKeys(int count)
    {
        var keys = new List<long>(count);
        if (count == 0)
        {
            return keys;
        }

        using var reader = commands.Read($"SELECT nextval({PeopleSequence}) FROM generate_series(1, $1)", (NpgsqlDbType.Integer, count));
        while (reader.Read())
        {
            keys.Add(reader.GetInt64(0));
        }

        return keys;
    }

    /// <summary>Puts the people's real keys in place of their stand-ins, in the people and in the rows that name them.</summary>
    private void GiveKeys(List<long> keys)
    {
        static long Real(List<long> keys, long key) => key < 0 ? keys[(int)(-key - 1)] : key;

        foreach (var activity in _activities)
        {
            if (activity.PersonId is { } personId)
            {
                activity.PersonId = Real(keys, personId);
            }
        }

        foreach (var attribute in _attributes)
        {
            attribute.PersonId = Real(keys, attribute.PersonId);
        }

        for (var i = 0; i < _people.Count; i++)
        {
            _people[i].Id = keys[i];
        }
    }
}

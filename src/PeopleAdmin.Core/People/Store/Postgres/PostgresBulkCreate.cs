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
/// </summary>
internal sealed class PostgresBulkCreate(PeopleAdminDbContext db, PostgresCommands commands, PostgresRowCounter.Count rowsWritten) : IBulkCreate
{
    /// <summary>A flush of at most this many rows (an identify's new person) is held inserts, not a key read and three copies.</summary>
    private const int MostRowsInOneBatch = 64;

    private const string PeopleSequence = """pg_get_serial_sequence('"People"', 'Id')""";

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

    public bool IsIdHeld(int workspaceId, string id) => IsAnyHeld(workspaceId, id, null);

    public bool IsEmailHeld(int workspaceId, string emailKey) => IsAnyHeld(workspaceId, null, emailKey);

    /// <summary>
    /// A chunk's identifiers in one round trip (a range of each unique index per value), so that an import's new people
    /// cost no probe each. What other writers add after it is caught by the unique indexes (the writer then runs the
    /// batch again, and this probe sees them).
    /// </summary>
    public void Probe(int workspaceId, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> emailKeys)
    {
        _probed.Clear();
        _probedHeld.Clear();
        using var reader = commands.Read(
            """SELECT "ExternalId", "EmailUniqueKey" FROM "People" WHERE "WorkspaceId" = $1 AND ("ExternalId" = ANY($2) OR "EmailUniqueKey" = ANY($3))""",
            (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Array | NpgsqlDbType.Text, ids.ToArray()), (NpgsqlDbType.Array | NpgsqlDbType.Text, emailKeys.ToArray()));
        while (reader.Read())
        {
            for (var column = 0; column < 2; column++)
            {
                if (!reader.IsDBNull(column))
                {
                    _probedHeld.Add((workspaceId, column == 0 ? IdentifierKind.Id : IdentifierKind.Email, reader.GetString(column)));
                }
            }
        }

        _probed.UnionWith(ids.Select(id => (workspaceId, IdentifierKind.Id, id)));
        _probed.UnionWith(emailKeys.Select(email => (workspaceId, IdentifierKind.Email, email)));
    }

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
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM "People" WHERE "WorkspaceId" = $1 AND "ExternalId" = $2)
                OR EXISTS (SELECT 1 FROM "People" WHERE "WorkspaceId" = $1 AND "EmailUniqueKey" = $3)
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

        if (person.EmailUniqueKey is { } emailKey)
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

        Discard();
    }

    public void Discard()
    {
        _people.Clear();
        _activities.Clear();
        _attributes.Clear();
        _heldIds.Clear();
        _heldEmails.Clear();
        _probed.Clear();
        _probedHeld.Clear();
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
        foreach (var person in _people)
        {
            var (itsActivities, itsAttributes) = (activities[person.Id].ToList(), attributes[person.Id].ToList());
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

        foreach (var activity in _activities.Where(a => a.PersonId is not < 0))
        {
            commands.Hold(_copyActivities.Insert(activity));
        }

        foreach (var attribute in _attributes.Where(a => a.PersonId >= 0))
        {
            commands.Hold(_copyAttributes.Insert(attribute));
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

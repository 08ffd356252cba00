using Npgsql;
using NpgsqlTypes;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// PostgreSQL's bulk create: people, their entries and their attributes are held and written by one binary
/// <c>COPY</c> per table at <see cref="Flush"/> (a few rows, by one batch of inserts). A person still gets their key at once, from the table's own sequence
/// (so the everyday path's inserts never collide with it), in blocks that double up to a thousand keys while people
/// keep coming; the keys left at a flush are dropped, so that keys keep the order people were added in. Entries take
/// theirs from the database at the flush, in the order they were added. The identifiers held are answered from memory
/// until they are in the table. The reads are prepared statements, kept with the writer's connection.
/// </summary>
internal sealed class PostgresBulkCreate(PeopleAdminDbContext db, NpgsqlConnection connection, PostgresRowCounter.Count rowsWritten) : IBulkCreate, IDisposable
{
    private const int MostKeysPerRead = 1_000;

    /// <summary>A flush of at most this many rows (an identify's new person) is one batch of inserts, not three copies.</summary>
    private const int MostRowsInOneBatch = 64;

    private readonly PostgresCopy<Person> _copyPeople = new(db.Model, withKey: true);
    private readonly PostgresCopy<Activity> _copyActivities = new(db.Model, withKey: false);
    private readonly PostgresCopy<PersonAttribute> _copyAttributes = new(db.Model, withKey: true);
    private readonly List<Person> _people = [];
    private readonly List<Activity> _activities = [];
    private readonly List<PersonAttribute> _attributes = [];
    private readonly HashSet<(int Workspace, string Id)> _heldIds = [];
    private readonly HashSet<(int Workspace, string EmailKey)> _heldEmails = [];
    private readonly Queue<long> _personKeys = new();
    private int _keysPerRead = 1;
    private readonly Dictionary<string, NpgsqlCommand> _commands = [];

    public bool IsIdHeld(int workspaceId, string id) =>
        _heldIds.Contains((workspaceId, id))
        || Exists("""SELECT 1 FROM "People" WHERE "WorkspaceId" = $1 AND "ExternalId" = $2 LIMIT 1""", workspaceId, id);

    public bool IsEmailHeld(int workspaceId, string emailKey) =>
        _heldEmails.Contains((workspaceId, emailKey))
        || Exists("""SELECT 1 FROM "People" WHERE "WorkspaceId" = $1 AND "EmailUniqueKey" = $2 LIMIT 1""", workspaceId, emailKey);

    public bool AnySuppressions(int workspaceId) =>
        Exists("""SELECT 1 FROM "Suppressions" WHERE "WorkspaceId" = $1 LIMIT 1""", workspaceId);

    public bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) =>
        Exists("""SELECT 1 FROM "Suppressions" WHERE "WorkspaceId" = $1 AND "Kind" = $3 AND "ValueKey" = $2 LIMIT 1""", workspaceId, valueKey, (int)kind);

    public void InsertPerson(Person person)
    {
        person.Id = NextKey();
        _people.Add(person);
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
        // People first: entries and attributes refer to them.
        if (_people.Count + _activities.Count + _attributes.Count <= MostRowsInOneBatch)
        {
            using var batch = new NpgsqlBatch(connection);
            _copyPeople.AddInserts(batch, _people);
            _copyActivities.AddInserts(batch, _activities);
            _copyAttributes.AddInserts(batch, _attributes);
            if (batch.BatchCommands.Count > 0)
            {
                rowsWritten.Add(batch.ExecuteNonQuery());
            }
        }
        else
        {
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
        _personKeys.Clear();
        _keysPerRead = 1;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }

    private long NextKey()
    {
        if (_personKeys.Count == 0)
        {
            var command = Command("""SELECT nextval(pg_get_serial_sequence('"People"', 'Id')) FROM generate_series(1, $1)""", _keysPerRead);
            command.Parameters[0].Value = _keysPerRead;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    _personKeys.Enqueue(reader.GetInt64(0));
                }
            }

            _keysPerRead = Math.Min(_keysPerRead * 2, MostKeysPerRead);
        }

        return _personKeys.Dequeue();
    }

    private bool Exists(string sql, params object[] values)
    {
        var command = Command(sql, values);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command.ExecuteScalar() is not null;
    }

    /// <summary>The statement, prepared on the server at its first use and kept for the connection's life.</summary>
    private NpgsqlCommand Command(string sql, params object[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = new NpgsqlCommand(sql, connection);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = value is int ? NpgsqlDbType.Integer : NpgsqlDbType.Text });
            }

            command.Prepare();
            _commands[sql] = command;
        }

        return command;
    }
}

using Npgsql;
using NpgsqlTypes;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// PostgreSQL's statements for the everyday path (<see cref="EverydayHotPath"/>), shaped by what costs here: the round
/// trip. A person is read with their attributes in one prepared statement, and a save's writes are held and go to the
/// server in front of the next read (<see cref="PostgresCommands"/>), attributes as <c>INSERT … ON CONFLICT DO
/// UPDATE</c>, new rows answering their keys with <c>RETURNING</c>.
/// </summary>
internal sealed class PostgresHotPath(PeopleAdminDbContext db, PostgresCommands commands) : EverydayHotPath(db)
{
    /// <summary>
    /// That a person (of <paramref name="alias"/>, with its dot) holds <paramref name="value"/> (a parameter, or ANY of one) as
    /// their email identifier: the flag is part of it, so that an <c>id_only</c> email finds nobody.
    /// </summary>
    internal static string HoldsIdentifyingEmail(string value, string alias = "p.") => $"""{alias}"EmailIsIdentifier" AND {alias}"EmailNormalized" = {value}""";

    internal static readonly string PersonColumns = string.Join(", ", PersonRow.Columns.Select(c => $"p.\"{c}\""));
    private static readonly string[] AttributeColumns = ["PersonId", "WorkspaceId", "Name", "Type", "TextValue", "NumberValue", "SetMs", "Timestamp"];
    internal static readonly string AttributeList = string.Join(", ", AttributeColumns.Select(c => $"a.\"{c}\""));

    private readonly PostgresCopy<Person> _people = new(db.Model, withKey: false);
    private readonly PostgresCopy<PersonAttribute> _attributes = new(db.Model, withKey: true);
    private readonly PostgresCopy<Activity> _activities = new(db.Model, withKey: false);
    private bool _personInserted;

    public static bool AnySuppressions(PostgresCommands commands, int workspaceId) =>
        commands.Exists("""SELECT 1 FROM "Suppressions" WHERE "WorkspaceId" = $1 LIMIT 1""", (NpgsqlDbType.Integer, workspaceId));

    public static bool IsSuppressed(PostgresCommands commands, int workspaceId, IdentifierKind kind, string valueKey) =>
        commands.Exists(
            """SELECT 1 FROM "Suppressions" WHERE "WorkspaceId" = $1 AND "Kind" = $2 AND "ValueKey" = $3 LIMIT 1""",
            (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Integer, (int)kind), (NpgsqlDbType.Text, valueKey));

    /// <summary>With its attributes, a row per attribute (the person's columns repeated): one round trip for both.</summary>
    protected override (Person? Row, List<PersonAttribute>? Attributes) ReadPerson(Lookup lookup, int workspaceId, string value, bool withAttributes)
    {
        var where = lookup == Lookup.Email
            ? $"""p."WorkspaceId" = $1 AND {HoldsIdentifyingEmail("$2")}"""
            : $"""p."WorkspaceId" = $1 AND p."{lookup}" = $2""";
        var sql = withAttributes
            ? $"""SELECT {PersonColumns}, {AttributeList} FROM "People" p LEFT JOIN "PersonAttributes" a ON a."WorkspaceId" = p."WorkspaceId" AND a."PersonId" = p."Id" WHERE {where}"""
            : $"""SELECT {PersonColumns} FROM "People" p WHERE {where} LIMIT 1""";
        using var reader = commands.Read(sql, (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Text, value));
        if (!reader.Read())
        {
            return (null, null);
        }

        var person = Person(reader);
        if (!withAttributes)
        {
            return (person, null);
        }

        var attributes = new List<PersonAttribute>();
        do
        {
            if (!reader.IsDBNull(PersonRow.Columns.Count))
            {
                attributes.Add(Attribute(reader, PersonRow.Columns.Count));
            }
        }
        while (reader.Read());

        return (person, attributes);
    }

    protected override List<PersonAttribute> ReadAttributes(int workspaceId, long personId)
    {
        using var reader = commands.Read(
            $"""SELECT {AttributeList} FROM "PersonAttributes" a WHERE a."WorkspaceId" = $1 AND a."PersonId" = $2""",
            (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Bigint, personId));
        var attributes = new List<PersonAttribute>();
        while (reader.Read())
        {
            attributes.Add(Attribute(reader, 0));
        }

        return attributes;
    }

    public override long? WorkspaceCounter(int workspaceId)
    {
        using var reader = commands.Read("""SELECT "NextCioNumber" FROM "Workspaces" WHERE "Id" = $1""", (NpgsqlDbType.Integer, workspaceId));
        return reader.Read() ? reader.GetInt64(0) : null;
    }

    protected override bool ReadAnySuppressions(int workspaceId) => AnySuppressions(commands, workspaceId);

    public override bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) => IsSuppressed(commands, workspaceId, kind, valueKey);

    protected override bool ReadEventIdSeen(int workspaceId, string eventId) =>
        commands.Exists("""SELECT 1 FROM "Activities" WHERE "WorkspaceId" = $1 AND "DedupId" = $2 LIMIT 1""", (NpgsqlDbType.Integer, workspaceId), (NpgsqlDbType.Text, eventId));

    protected override (string Sql, object[] Parameters) Matching(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds)
    {
        var (sql, parameters) = PostgresAudienceSql.Matching(workspaceId, filter, cioIds);
        return (sql, [.. parameters]);
    }

    // Writes: held until the next round trip, which the next read makes.

    protected override void InsertPerson(Person person)
    {
        commands.Hold(_people.Insert(person, tail: """RETURNING "Id" """), key => person.Id = key);
        _personInserted = true;
    }

    protected override void InsertActivity(Activity activity) =>
        commands.Hold(_activities.Insert(activity, tail: """RETURNING "Id" """), key => activity.Id = key);

    /// <summary>An upsert: when another writer added the attribute since it was read, this one's value still wins, as an update's would.</summary>
    protected override void InsertAttribute(PersonAttribute attribute) =>
        commands.Hold(_attributes.Insert(attribute, tail: AttributeUpsert));

    protected override void UpdateAttribute(PersonAttribute attribute) => InsertAttribute(attribute);

    protected override void DeleteAttribute(PersonAttribute attribute) =>
        commands.Hold(
            """DELETE FROM "PersonAttributes" WHERE "WorkspaceId" = $1 AND "PersonId" = $2 AND "Name" = $3""",
            (NpgsqlDbType.Integer, attribute.WorkspaceId), (NpgsqlDbType.Bigint, attribute.PersonId), (NpgsqlDbType.Text, attribute.Name));

    protected override void UpdateCounter(Workspace workspace) =>
        commands.Hold("""UPDATE "Workspaces" SET "NextCioNumber" = $1 WHERE "Id" = $2""", (NpgsqlDbType.Bigint, workspace.NextCioNumber), (NpgsqlDbType.Integer, workspace.Id));

    /// <summary>Only the columns that changed, so that PostgreSQL's HOT update can leave the indexes on the others alone.</summary>
    protected override void UpdatePerson(Person person, int columns)
    {
        var set = new List<string>();
        var command = new NpgsqlBatchCommand();
        for (var i = 0; i < UpdatableColumns.Length; i++)
        {
            if ((columns & (1 << i)) != 0)
            {
                var (column, value) = UpdatableColumns[i];
                command.Parameters.Add(new NpgsqlParameter { DataTypeName = _people.DataType(column), Value = value(person) ?? DBNull.Value });
                set.Add($"\"{column}\" = ${command.Parameters.Count}");
            }
        }

        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = person.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = person.Id });
        command.CommandText = $"""UPDATE "People" SET {string.Join(", ", set)} WHERE "WorkspaceId" = ${command.Parameters.Count - 1} AND "Id" = ${command.Parameters.Count}""";
        commands.Hold(command);
    }

    /// <summary>A new person's key is needed at once (what the operation does next names them by it), so their insert goes now.</summary>
    protected override void EndWrites()
    {
        if (_personInserted)
        {
            _personInserted = false;
            commands.Send();
        }
    }

    private string AttributeUpsert =>
        field ??= """ON CONFLICT ("WorkspaceId", "PersonId", "Name") DO UPDATE SET """
            + string.Join(", ", _attributes.Columns.Where(c => c is not ("WorkspaceId" or "PersonId" or "Name")).Select(c => $"\"{c}\" = EXCLUDED.\"{c}\""));

    /// <summary>A person's row, selected as <see cref="PersonColumns"/>.</summary>
    internal static Person Person(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        WorkspaceId = reader.GetInt32(1),
        CioId = reader.GetString(2),
        ExternalId = reader.IsDBNull(3) ? null : reader.GetString(3),
        Email = reader.IsDBNull(4) ? null : reader.GetString(4),
        EmailNormalized = reader.IsDBNull(5) ? null : reader.GetString(5),
        EmailIsIdentifier = reader.IsDBNull(6) ? null : reader.GetBoolean(6),
        FirstSeenMs = reader.GetInt64(7),
        CreatedAt = reader.GetInt64(8),
        UpdatedMs = reader.GetInt64(9),
        ExternalIdChangedMs = reader.IsDBNull(10) ? null : reader.GetInt64(10),
        EmailChangedMs = reader.IsDBNull(11) ? null : reader.GetInt64(11),
        Unsubscribed = reader.GetBoolean(12),
        LastImportId = reader.IsDBNull(13) ? null : reader.GetInt64(13),
        CreatedAtChangedMs = reader.IsDBNull(14) ? null : reader.GetInt64(14),
        UnsubscribedChangedMs = reader.IsDBNull(15) ? null : reader.GetInt64(15),
    };

    /// <summary>An attribute's row, selected as <see cref="AttributeList"/> from column <paramref name="first"/> on.</summary>
    internal static PersonAttribute Attribute(NpgsqlDataReader reader, int first) => new()
    {
        PersonId = reader.GetInt64(first),
        WorkspaceId = reader.GetInt32(first + 1),
        Name = reader.GetString(first + 2),
        Type = (AttributeType)reader.GetInt16(first + 3),
        TextValue = reader.GetString(first + 4),
        NumberValue = reader.IsDBNull(first + 5) ? null : reader.GetDouble(first + 5),
        SetMs = reader.GetInt64(first + 6),
        Timestamp = reader.IsDBNull(first + 7) ? null : reader.GetInt64(first + 7),
    };
}

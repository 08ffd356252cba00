using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// SQLite's statements for the everyday path (<see cref="EverydayHotPath"/>): each prepared once per writer connection
/// and driven through SQLite's own API, one step per row, inside the transaction EF Core began.
/// </summary>
internal sealed class SqliteHotPath(PeopleAdminDbContext db, SqliteStatementCache cache) : EverydayHotPath(db)
{
    private readonly Statements _statements = new(cache);
    private readonly Dictionary<int, SqliteStatement> _personUpdates = [];
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

    /// <summary>SQLite's reads cost no round trip: a person's attributes are read when the rules ask for them.</summary>
    protected override (Person? Row, List<PersonAttribute>? Attributes) ReadPerson(Lookup lookup, int workspaceId, string value, bool withAttributes)
    {
        var statement = lookup switch
        {
            Lookup.CioId => _personByCioId ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE WorkspaceId = ?1 AND CioId = ?2 LIMIT 1"),
            Lookup.ExternalId => _personById ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1"),
            _ => _personByEmail ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE {SqliteStatements.ByIdentifyingEmail} LIMIT 1"),
        };
        statement.Bind(1, workspaceId).Bind(2, value);
        try
        {
            return (statement.Step() ? Person(statement) : null, null);
        }
        finally
        {
            statement.Reset();
        }
    }

    protected override List<PersonAttribute> ReadAttributes(int workspaceId, long personId)
    {
        var statement = (_attributesOf ??= Statement($"SELECT {SqliteStatements.AttributeColumns} FROM PersonAttributes WHERE WorkspaceId = ?1 AND PersonId = ?2"))
            .Bind(1, workspaceId).Bind(2, personId);
        var read = new List<PersonAttribute>();
        while (statement.Step())
        {
            read.Add(Attribute(statement));
        }

        return read;
    }

    /// <summary>An attribute's row, selected as <see cref="SqliteStatements.AttributeColumns"/>.</summary>
    internal static PersonAttribute Attribute(SqliteStatement statement) => new()
    {
        PersonId = statement.GetInt64(0),
        WorkspaceId = statement.GetInt32(1),
        Name = statement.GetString(2),
        Type = (AttributeType)statement.GetInt32(3),
        TextValue = statement.GetString(4),
        NumberValue = statement.GetDoubleOrNull(5),
        SetMs = statement.GetInt64(6),
        Timestamp = statement.GetInt64OrNull(7),
    };

    public override long? WorkspaceCounter(int workspaceId)
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

    protected override bool ReadAnySuppressions(int workspaceId) =>
        (_suppressionsOf ??= Statement("SELECT 1 FROM Suppressions WHERE WorkspaceId = ?1 LIMIT 1")).Bind(1, workspaceId).Exists();

    public override bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) => _statements.IsSuppressed(workspaceId, kind, valueKey);

    protected override bool ReadEventIdSeen(int workspaceId, string eventId) =>
        (_eventIdSeen ??= Statement("SELECT 1 FROM Activities WHERE WorkspaceId = ?1 AND DedupId = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, eventId).Exists();

    protected override (string Sql, object[] Parameters) Matching(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds)
    {
        var (sql, parameters) = SqliteAudienceSql.Matching(workspaceId, filter, cioIds);
        return (sql, [.. parameters]);
    }

    protected override void InsertPerson(Person person) => _statements.InsertPerson(person);

    protected override void InsertAttribute(PersonAttribute attribute) => _statements.InsertAttribute(attribute);

    protected override void InsertActivity(Activity activity) => _statements.InsertActivity(activity);

    protected override void UpdateAttribute(PersonAttribute attribute) =>
        Statements.BindAttribute(
            _updateAttribute ??= Statement("UPDATE PersonAttributes SET Type = ?4, TextValue = ?5, NumberValue = ?6, SetMs = ?7, Timestamp = ?8 WHERE WorkspaceId = ?2 AND PersonId = ?1 AND Name = ?3"),
            attribute).Execute();

    protected override void DeleteAttribute(PersonAttribute attribute) =>
        (_deleteAttribute ??= Statement("DELETE FROM PersonAttributes WHERE WorkspaceId = ?1 AND PersonId = ?2 AND Name = ?3"))
            .Bind(1, attribute.WorkspaceId).Bind(2, attribute.PersonId).Bind(3, attribute.Name).Execute();

    protected override void UpdateCounter(Workspace workspace) =>
        (_updateCounter ??= Statement("UPDATE Workspaces SET NextCioNumber = ?1 WHERE Id = ?2")).Bind(1, workspace.NextCioNumber).Bind(2, workspace.Id).Execute();

    /// <summary>
    /// Updates only the columns that changed: SQLite then touches only the indexes on them (an attribute update
    /// changes <c>UpdatedMs</c> alone). One statement is prepared per set of columns.
    /// </summary>
    protected override void UpdatePerson(Person person, int columns)
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

            statement = Statement($"UPDATE People SET {string.Join(", ", set)} WHERE WorkspaceId = ?{set.Count + 1} AND Id = ?{set.Count + 2}");
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

        statement.Bind(index + 1, (long)person.WorkspaceId).Bind(index + 2, person.Id).Execute();
    }

    /// <summary>A person's row, selected as <see cref="PersonRow.SelectList"/>.</summary>
    internal static Person Person(SqliteStatement statement) => new()
    {
        Id = statement.GetInt64(0),
        WorkspaceId = statement.GetInt32(1),
        CioId = statement.GetString(2),
        ExternalId = statement.GetStringOrNull(3),
        Email = statement.GetStringOrNull(4),
        EmailNormalized = statement.GetStringOrNull(5),
        EmailIsIdentifier = statement.GetInt64OrNull(6) is { } identifies ? identifies != 0 : null,
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

    private SqliteStatement Statement(string sql) => _statements.Get(sql);

    /// <summary>The statements SQLite's bulk create runs too (its inserts), on the writer's cache.</summary>
    private sealed class Statements(SqliteStatementCache cache) : SqliteStatements(cache)
    {
        public SqliteStatement Get(string sql) => Statement(sql);

        public static new SqliteStatement BindAttribute(SqliteStatement statement, PersonAttribute attribute) => SqliteStatements.BindAttribute(statement, attribute);
    }
}

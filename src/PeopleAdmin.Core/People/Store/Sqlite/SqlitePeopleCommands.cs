namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// SQLite's bulk create: prepared statements on the writer's own connection and transaction, prepared once per
/// writer connection and reused for every row. People and entries are inserted at once (they take their keys);
/// attributes are held until <see cref="Flush"/> and then inserted in index order, a run of new people at a time: the
/// attribute indexes (name, value) then take their rows in order instead of at random places of their B-trees.
/// A plain update reads its person and their attributes when asked (a read costs no round trip here) and writes each
/// change at once, so that the next read sees it.
/// </summary>
internal sealed class SqlitePeopleCommands(SqliteStatementCache statements) : SqliteStatements(statements), IBulkCreate
{
    private readonly List<PersonAttribute> _attributes = [];
    private SqliteStatement? _idHeld;
    private SqliteStatement? _emailHeld;
    private readonly HashSet<long> _createdSinceFlush = [];
    private SqliteStatement? _anySuppressed;
    private SqliteStatement? _personById;
    private SqliteStatement? _personByEmail;
    private SqliteStatement? _attributesOf;
    private SqliteStatement? _updatePerson;
    private SqliteStatement? _setAttribute;
    private SqliteStatement? _removeAttribute;

    public bool IsIdHeld(int workspaceId, string id) =>
        (_idHeld ??= Statement("SELECT 1 FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, id).Exists();

    public bool IsEmailHeld(int workspaceId, string emailKey) =>
        (_emailHeld ??= Statement($"SELECT 1 FROM People WHERE {ByIdentifyingEmail} LIMIT 1")).Bind(1, workspaceId).Bind(2, emailKey).Exists();

    public bool AnySuppressions(int workspaceId) =>
        (_anySuppressed ??= Statement("SELECT 1 FROM Suppressions WHERE WorkspaceId = ?1 LIMIT 1")).Bind(1, workspaceId).Exists();

    void IBulkCreate.InsertAttribute(PersonAttribute attribute) => _attributes.Add(attribute);

    void IBulkCreate.InsertPerson(Person person)
    {
        InsertPerson(person);
        _createdSinceFlush.Add(person.Id);
    }

    public PersonForUpdate? FindForUpdate(int workspaceId, IdentifierKind kind, string valueKey)
    {
        var statement = kind == IdentifierKind.Id
            ? _personById ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1")
            : _personByEmail ??= Statement($"SELECT {PersonRow.SelectList} FROM People WHERE {ByIdentifyingEmail} LIMIT 1");
        statement.Bind(1, workspaceId).Bind(2, valueKey);
        Person? person;
        try
        {
            person = statement.Step() ? SqliteHotPath.Person(statement) : null;
        }
        finally
        {
            statement.Reset();
        }

        // A person created since the flush still has attributes held back, which this read would miss.
        if (person is null || _createdSinceFlush.Contains(person.Id))
        {
            return null;
        }

        var attributes = new Dictionary<string, PersonAttribute>(StringComparer.Ordinal);
        var read = (_attributesOf ??= Statement($"SELECT {AttributeColumns} FROM PersonAttributes WHERE WorkspaceId = ?1 AND PersonId = ?2")).Bind(1, person.WorkspaceId).Bind(2, person.Id);
        while (read.Step())
        {
            var attribute = SqliteHotPath.Attribute(read);
            attributes[attribute.Name] = attribute;
        }

        return new PersonForUpdate(person, attributes);
    }

    public void UpdatePerson(Person person) =>
        (_updatePerson ??= Statement("UPDATE People SET CreatedAt = ?1, CreatedAtChangedMs = ?2, Unsubscribed = ?3, UnsubscribedChangedMs = ?4, UpdatedMs = ?5 WHERE WorkspaceId = ?6 AND Id = ?7"))
            .Bind(1, person.CreatedAt).Bind(2, person.CreatedAtChangedMs).Bind(3, person.Unsubscribed).Bind(4, person.UnsubscribedChangedMs)
            .Bind(5, person.UpdatedMs).Bind(6, person.WorkspaceId).Bind(7, person.Id).Execute();

    public void SetAttribute(PersonAttribute attribute) =>
        BindAttribute(_setAttribute ??= Statement(
            $"""
            INSERT INTO PersonAttributes ({AttributeColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (WorkspaceId, PersonId, Name) DO UPDATE SET Type = ?4, TextValue = ?5, NumberValue = ?6, SetMs = ?7, Timestamp = ?8
            """), attribute).Execute();

    public void RemoveAttribute(PersonAttribute attribute) =>
        (_removeAttribute ??= Statement("DELETE FROM PersonAttributes WHERE WorkspaceId = ?1 AND PersonId = ?2 AND Name = ?3")).Bind(1, attribute.WorkspaceId).Bind(2, attribute.PersonId).Bind(3, attribute.Name).Execute();

    public void Flush()
    {
        _attributes.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.TextValue, b.TextValue));
        foreach (var attribute in _attributes)
        {
            InsertAttribute(attribute);
        }

        _attributes.Clear();
        _createdSinceFlush.Clear();
    }

    public void Discard()
    {
        _attributes.Clear();
        _createdSinceFlush.Clear();
    }
}

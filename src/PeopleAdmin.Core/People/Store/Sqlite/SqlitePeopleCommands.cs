namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// SQLite's bulk create: prepared statements on the writer's own connection and transaction, prepared once per
/// writer connection and reused for every row. People and entries are inserted at once (they take their keys);
/// attributes are held until <see cref="Flush"/> and then inserted in index order, a run of new people at a time: the
/// attribute indexes (name, value) then take their rows in order instead of at random places of their B-trees.
/// </summary>
internal sealed class SqlitePeopleCommands(SqliteStatementCache statements) : SqliteStatements(statements), IBulkCreate
{
    private readonly List<PersonAttribute> _attributes = [];
    private SqliteStatement? _idHeld;
    private SqliteStatement? _emailHeld;
    private SqliteStatement? _anySuppressed;

    public bool IsIdHeld(int workspaceId, string id) =>
        (_idHeld ??= Statement("SELECT 1 FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, id).Exists();

    public bool IsEmailHeld(int workspaceId, string emailKey) =>
        (_emailHeld ??= Statement("SELECT 1 FROM People WHERE WorkspaceId = ?1 AND EmailUniqueKey = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, emailKey).Exists();

    public bool AnySuppressions(int workspaceId) =>
        (_anySuppressed ??= Statement("SELECT 1 FROM Suppressions WHERE WorkspaceId = ?1 LIMIT 1")).Bind(1, workspaceId).Exists();

    void IBulkCreate.InsertAttribute(PersonAttribute attribute) => _attributes.Add(attribute);

    public void Flush()
    {
        _attributes.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.TextValue, b.TextValue));
        foreach (var attribute in _attributes)
        {
            InsertAttribute(attribute);
        }

        _attributes.Clear();
    }

    public void Discard() => _attributes.Clear();
}

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// SQLite's fast path of the people store: prepared statements on the writer's own connection and transaction,
/// prepared once per writer connection and reused for every row. EF Core still owns the model, the migrations
/// and the transaction; these statements name its tables and columns. A PostgreSQL store would bring its own.
/// </summary>
internal sealed class SqlitePeopleCommands(SqliteStatementCache statements) : SqliteStatements(statements)
{
    private SqliteStatement? _idHeld;
    private SqliteStatement? _emailHeld;
    private SqliteStatement? _anySuppressed;

    public bool IsIdHeld(int workspaceId, string id) =>
        (_idHeld ??= Statement("SELECT 1 FROM People WHERE WorkspaceId = ?1 AND ExternalId = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, id).Exists();

    public bool IsEmailHeld(int workspaceId, string emailKey) =>
        (_emailHeld ??= Statement("SELECT 1 FROM People WHERE WorkspaceId = ?1 AND EmailUniqueKey = ?2 LIMIT 1")).Bind(1, workspaceId).Bind(2, emailKey).Exists();

    public bool AnySuppressions(int workspaceId) =>
        (_anySuppressed ??= Statement("SELECT 1 FROM Suppressions WHERE WorkspaceId = ?1 LIMIT 1")).Bind(1, workspaceId).Exists();
}

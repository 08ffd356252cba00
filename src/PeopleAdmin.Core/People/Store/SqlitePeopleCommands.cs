using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// SQLite's fast path of the people store: prepared statements on the writer's own connection and transaction,
/// created once per writer transaction and reused for every row. EF Core still owns the model, the migrations
/// and the transaction; these statements name its tables and columns. A PostgreSQL store would bring its own.
/// </summary>
internal sealed class SqlitePeopleCommands(DbConnection connection, DbTransaction transaction) : SqliteStatements(connection, transaction)
{
    private SqliteCommand? _idHeld;
    private SqliteCommand? _emailHeld;
    private SqliteCommand? _anySuppressed;

    public bool IsIdHeld(int workspaceId, string id)
    {
        var command = _idHeld ??= Prepare("SELECT 1 FROM People WHERE WorkspaceId = $w AND ExternalId = $v LIMIT 1", "$w", "$v");
        command.Parameters[0].Value = workspaceId;
        command.Parameters[1].Value = id;
        return command.ExecuteScalar() is not null;
    }

    public bool IsEmailHeld(int workspaceId, string emailKey)
    {
        var command = _emailHeld ??= Prepare("SELECT 1 FROM People WHERE WorkspaceId = $w AND EmailUniqueKey = $v LIMIT 1", "$w", "$v");
        command.Parameters[0].Value = workspaceId;
        command.Parameters[1].Value = emailKey;
        return command.ExecuteScalar() is not null;
    }

    public bool AnySuppressions(int workspaceId)
    {
        var command = _anySuppressed ??= Prepare("SELECT 1 FROM Suppressions WHERE WorkspaceId = $w LIMIT 1", "$w");
        command.Parameters[0].Value = workspaceId;
        return command.ExecuteScalar() is not null;
    }
}

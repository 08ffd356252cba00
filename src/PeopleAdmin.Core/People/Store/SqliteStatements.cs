using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// Prepared statements on the writer's connection and transaction, created once per writer transaction and reused
/// for every row, with the statements both of SQLite's fast paths run (<see cref="SqlitePeopleCommands"/> for bulk
/// imports, <see cref="SqliteHotPath"/> for everyday operations). EF Core still owns the model, the migrations and
/// the transaction; these statements name its tables and columns. A PostgreSQL store would bring its own.
/// </summary>
internal abstract class SqliteStatements(DbConnection connection, DbTransaction transaction) : IDisposable
{
    private readonly List<SqliteCommand> _commands = [];
    private SqliteCommand? _suppressed;
    private SqliteCommand? _insertActivity;
    private SqliteCommand? _insertPerson;
    private SqliteCommand? _insertAttribute;

    /// <summary>The parameters of every attribute statement, in the order <see cref="BindAttribute"/> sets them.</summary>
    protected static readonly string[] AttributeParameters = ["$p", "$w", "$n", "$t", "$x", "$y", "$s", "$ts"];

    public bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey)
    {
        var command = _suppressed ??= Prepare("SELECT 1 FROM Suppressions WHERE WorkspaceId = $w AND Kind = $k AND ValueKey = $v LIMIT 1", "$w", "$k", "$v");
        command.Parameters[0].Value = workspaceId;
        command.Parameters[1].Value = (int)kind;
        command.Parameters[2].Value = valueKey;
        return command.ExecuteScalar() is not null;
    }

    /// <summary>Inserts the person, whose new key it sets and answers.</summary>
    public long InsertPerson(Person person)
    {
        var command = _insertPerson ??= Prepare(
            """
            INSERT INTO People (WorkspaceId, CioId, ExternalId, Email, EmailNormalized, EmailUniqueKey, FirstSeenMs, CreatedAt,
                UpdatedMs, ExternalIdChangedMs, EmailChangedMs, Unsubscribed, LastImportId)
            VALUES ($w, $cio, $id, $email, $norm, $unique, $first, $created, $updated, $idChanged, $emailChanged, $unsub, $import)
            """,
            "$w", "$cio", "$id", "$email", "$norm", "$unique", "$first", "$created", "$updated", "$idChanged", "$emailChanged", "$unsub", "$import");
        var p = command.Parameters;
        p[0].Value = person.WorkspaceId;
        p[1].Value = person.CioId;
        p[2].Value = Db(person.ExternalId);
        p[3].Value = Db(person.Email);
        p[4].Value = Db(person.EmailNormalized);
        p[5].Value = Db(person.EmailUniqueKey);
        p[6].Value = person.FirstSeenMs;
        p[7].Value = person.CreatedAt;
        p[8].Value = person.UpdatedMs;
        p[9].Value = Db(person.ExternalIdChangedMs);
        p[10].Value = Db(person.EmailChangedMs);
        p[11].Value = person.Unsubscribed;
        p[12].Value = Db(person.LastImportId);
        person.Id = Insert(command);
        return person.Id;
    }

    public void InsertAttribute(PersonAttribute attribute)
    {
        var command = _insertAttribute ??= Prepare(
            "INSERT INTO PersonAttributes (PersonId, WorkspaceId, Name, Type, TextValue, NumberValue, SetMs, Timestamp) VALUES ($p, $w, $n, $t, $x, $y, $s, $ts)",
            AttributeParameters);
        BindAttribute(command, attribute);
        command.ExecuteNonQuery();
    }

    /// <summary>Inserts an activity entry and answers its key.</summary>
    public long InsertActivity(Activity activity)
    {
        var command = _insertActivity ??= Prepare(
            """
            INSERT INTO Activities (WorkspaceId, PersonId, CioId, Type, Source, AtMs, Timestamp, Name, Data, AnonymousId, DedupId)
            VALUES ($w, $p, $cio, $type, $source, $at, $ts, $name, $data, $anon, $dedup)
            """,
            "$w", "$p", "$cio", "$type", "$source", "$at", "$ts", "$name", "$data", "$anon", "$dedup");
        var p = command.Parameters;
        p[0].Value = activity.WorkspaceId;
        p[1].Value = Db(activity.PersonId);
        p[2].Value = Db(activity.CioId);
        p[3].Value = activity.Type;
        p[4].Value = activity.Source;
        p[5].Value = activity.AtMs;
        p[6].Value = Db(activity.Timestamp);
        p[7].Value = Db(activity.Name);
        p[8].Value = Db(activity.Data);
        p[9].Value = Db(activity.AnonymousId);
        p[10].Value = Db(activity.DedupId);
        return Insert(command);
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    protected static object Db<T>(T? value) => value is null ? DBNull.Value : value;

    protected static void BindAttribute(SqliteCommand command, PersonAttribute attribute)
    {
        var p = command.Parameters;
        p[0].Value = attribute.PersonId;
        p[1].Value = attribute.WorkspaceId;
        p[2].Value = attribute.Name;
        p[3].Value = (int)attribute.Type;
        p[4].Value = attribute.TextValue;
        p[5].Value = Db(attribute.NumberValue);
        p[6].Value = attribute.SetMs;
        p[7].Value = Db(attribute.Timestamp);
    }

    /// <summary>Runs an insert and answers the new row's key (not with RETURNING, whose rows SQLite collects in a temporary table).</summary>
    protected long Insert(SqliteCommand command)
    {
        command.ExecuteNonQuery();
        return SQLitePCL.raw.sqlite3_last_insert_rowid(((SqliteConnection)connection).Handle);
    }

    protected SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        command.Prepare();
        _commands.Add(command);
        return command;
    }
}

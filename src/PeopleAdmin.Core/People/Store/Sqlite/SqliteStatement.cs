using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// One prepared statement on the writer's connection, driven through SQLite's own API (SQLitePCL.raw, which
/// Microsoft.Data.Sqlite itself sits on): parameters are bound by position (<c>?1</c>, <c>?2</c>, …) and rows read
/// in place, without the command, parameter and reader objects that ADO.NET builds around every execution (binding
/// by name and the reader took about a quarter of an identify's time). It runs in whatever transaction the
/// connection has open: the writer's, which EF Core began.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out var tail);
        SqliteException.ThrowExceptionForRC(rc, db);
        if (!string.IsNullOrWhiteSpace(tail))
        {
            _statement.Dispose();
            throw new ArgumentException($"One statement at a time: \"{tail.Trim()}\" follows the first.", nameof(sql));
        }
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, long? value) => value is { } v ? Bind(index, v) : BindNull(index);

    public SqliteStatement Bind(int index, bool value) => Bind(index, value ? 1L : 0L);

    public SqliteStatement Bind(int index, bool? value) => value is { } v ? Bind(index, v) : BindNull(index);

    public SqliteStatement Bind(int index, double? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_double(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    public SqliteStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    /// <summary>Binds an ADO.NET parameter by its name (<c>@f0</c>), for SQL built for both ways of running it.</summary>
    public SqliteStatement Bind(SqliteParameter parameter)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, parameter.ParameterName);
        if (index == 0)
        {
            throw new ArgumentException($"The statement has no parameter {parameter.ParameterName}.", nameof(parameter));
        }

        return parameter.Value switch
        {
            null or DBNull => BindNull(index),
            int value => Bind(index, (long)value),
            long value => Bind(index, value),
            double value => Bind(index, (double?)value),
            string value => Bind(index, value),
            var other => throw new ArgumentException($"Parameter {parameter.ParameterName} holds a {other.GetType().Name}, which is not bound here.", nameof(parameter)),
        };
    }

    private SqliteStatement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs a statement that answers no rows.</summary>
    public void Execute()
    {
        if (Step())
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs an insert and answers the new row's key.</summary>
    public long Insert()
    {
        Execute();
        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>Whether the query answers a row.</summary>
    public bool Exists()
    {
        try
        {
            return Step();
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Steps to the next row: true when there is one to read with the getters. After the last row (false) the
    /// statement is reset, ready to be bound again; a reader that stops before that calls <see cref="Reset"/>.
    /// </summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(_statement);
        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public int GetInt32(int column) => raw.sqlite3_column_int(_statement, column);

    public long? GetInt64OrNull(int column) => IsNull(column) ? null : GetInt64(column);

    public double? GetDoubleOrNull(int column) => IsNull(column) ? null : raw.sqlite3_column_double(_statement, column);

    public string GetString(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public string? GetStringOrNull(int column) => IsNull(column) ? null : GetString(column);

    /// <summary>A text column's bytes as SQLite holds them (UTF-8), valid until the next step; empty for NULL.</summary>
    public ReadOnlySpan<byte> GetUtf8(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}

/// <summary>
/// The writer connection's prepared statements, by their SQL: prepared on first use and kept for the connection's
/// life, so that no writer transaction prepares them again.
/// </summary>
internal sealed class SqliteStatementCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public int Count => _statements.Count;

    /// <summary>Rows inserted, updated or deleted on the connection since it opened (by these statements and EF Core's alike).</summary>
    public long TotalChanges => raw.sqlite3_total_changes(Connection.Handle!);

    /// <summary>The SQL of every statement prepared so far.</summary>
    public IEnumerable<string> Sql => _statements.Keys;

    public SqliteStatement Get(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(Connection.Handle!, sql);
            _statements[sql] = statement;
        }

        return statement;
    }

    /// <summary>Finalizes every statement; the connection must not go back to the pool with statements of ours open.</summary>
    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }
}

using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// The writer connection's round trips. Reads are prepared on the server at their first use and kept for the
/// connection's life. Writes are held (<see cref="Hold"/>) and go to the server in front of the next read, in the same
/// batch: an identify's writes then cost no round trip of their own, as each operation begins with a read. Anything
/// else that uses the connection sends them first: EF Core's commands, savepoints and commit (through
/// <see cref="PostgresRowCounter"/>), a <c>COPY</c>, and the writer after an operation whose failure must stay its own
/// (<see cref="Send"/>).
/// </summary>
internal sealed class PostgresCommands : IDisposable
{
    private static readonly ConditionalWeakTable<NpgsqlConnection, PostgresCommands> ByConnection = new();

    private readonly Dictionary<string, NpgsqlCommand> _prepared = [];
    private readonly List<Action<long>?> _keys = [];
    private readonly PostgresRowCounter.Count _rows;
    private NpgsqlBatch? _held;
    private NpgsqlBatch? _sent;

    public PostgresCommands(NpgsqlConnection connection, PostgresRowCounter.Count rows)
    {
        Connection = connection;
        _rows = rows;
        ByConnection.AddOrUpdate(connection, this);
    }

    public NpgsqlConnection Connection { get; }

    /// <summary>The held writes of a connection, if it is a writer's.</summary>
    public static PostgresCommands? Of(System.Data.Common.DbConnection? connection) =>
        connection is NpgsqlConnection npgsql && ByConnection.TryGetValue(npgsql, out var commands) ? commands : null;

    /// <summary>
    /// Holds a write until the next round trip; <paramref name="key"/> takes the one value its <c>RETURNING</c> answers.
    /// It counts as a row written at once, so that the writer knows an operation wrote something before it is sent.
    /// </summary>
    public void Hold(NpgsqlBatchCommand command, Action<long>? key = null)
    {
        (_held ??= new NpgsqlBatch(Connection)).BatchCommands.Add(command);
        _keys.Add(key);
        _rows.Add(1);
    }

    public void Hold(string sql, params (NpgsqlDbType Type, object? Value)[] parameters) => Hold(Command(sql, parameters));

    /// <summary>Sends the held writes, if any, in one round trip.</summary>
    public void Send()
    {
        if (_held is null)
        {
            return;
        }

        using var reader = Execute(null);
    }

    /// <summary>Forgets the held writes: the transaction or savepoint they belong to is being rolled back.</summary>
    public void Discard()
    {
        _held?.Dispose();
        _held = null;
        _keys.Clear();
    }

    /// <summary>The read's rows, with the held writes sent in front of it in the same round trip.</summary>
    public NpgsqlDataReader Read(string sql, params (NpgsqlDbType Type, object? Value)[] parameters)
    {
        if (_held is null)
        {
            return Prepared(sql, parameters).ExecuteReader();
        }

        return Execute(Command(sql, parameters));
    }

    /// <summary>Whether the read answers a row.</summary>
    public bool Exists(string sql, params (NpgsqlDbType Type, object? Value)[] parameters)
    {
        using var reader = Read(sql, parameters);
        return reader.Read();
    }

    public void Dispose()
    {
        Discard();
        _sent?.Dispose();
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
    }

    /// <summary>The held writes, then <paramref name="read"/> if any: their keys are given, and the reader is left on the read's rows.</summary>
    private NpgsqlDataReader Execute(NpgsqlBatchCommand? read)
    {
        var batch = _held!;
        var keys = _keys.ToList();
        _held = null;
        _keys.Clear();
        _sent?.Dispose();
        _sent = batch;
        if (read is not null)
        {
            batch.BatchCommands.Add(read);
        }

        var reader = batch.ExecuteReader();
        try
        {
            foreach (var key in keys)
            {
                if (key is null)
                {
                    continue;
                }

                SkipStatementsWithoutRows(reader);
                reader.Read();
                key(reader.GetInt64(0));
                reader.NextResult();
            }

            SkipStatementsWithoutRows(reader);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static void SkipStatementsWithoutRows(NpgsqlDataReader reader)
    {
        while (reader.FieldCount == 0 && reader.NextResult())
        {
        }
    }

    private NpgsqlCommand Prepared(string sql, (NpgsqlDbType Type, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = new NpgsqlCommand(sql, Connection);
            foreach (var (type, _) in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
            }

            command.Prepare();
            _prepared[sql] = command;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    private static NpgsqlBatchCommand Command(string sql, (NpgsqlDbType Type, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (type, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
        }

        return command;
    }
}

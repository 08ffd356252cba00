using Npgsql;
using NpgsqlTypes;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// The writer connection's prepared statements, each prepared on the server at its first use and kept for the
/// connection's life (SQLite's <c>SqliteStatementCache</c> in PostgreSQL's terms): the everyday path's and the bulk
/// create's reads. Writes go in batches, which Npgsql prepares by itself after their second use (<c>Max Auto Prepare</c>).
/// </summary>
internal sealed class PostgresCommands(NpgsqlConnection connection) : IDisposable
{
    private readonly Dictionary<string, NpgsqlCommand> _commands = [];

    public NpgsqlConnection Connection => connection;

    /// <summary>The statement with its parameters' values bound ($1, $2… in order; a null is sent as SQL's NULL of its type).</summary>
    public NpgsqlCommand Bound(string sql, params (NpgsqlDbType Type, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = new NpgsqlCommand(sql, connection);
            foreach (var (type, _) in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
            }

            command.Prepare();
            _commands[sql] = command;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>Whether the statement answers a row.</summary>
    public bool Exists(string sql, params (NpgsqlDbType Type, object? Value)[] parameters) => Bound(sql, parameters).ExecuteScalar() is not null;

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}

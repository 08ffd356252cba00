using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// <see cref="PeopleRows"/> read from one PostgreSQL statement (<see cref="PostgresAudienceSql.Rows"/>) as Npgsql
/// streams it: a row at a time, each value encoded into one reused buffer. It owns its context until disposed.
/// </summary>
internal sealed class PostgresPeopleRows : PeopleRows
{
    private readonly PeopleAdminDbContext _db;
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private byte[] _buffer = new byte[256];

    private PostgresPeopleRows(PeopleAdminDbContext db, NpgsqlCommand command, NpgsqlDataReader reader, int columnCount)
    {
        _db = db;
        _command = command;
        _reader = reader;
        ColumnCount = columnCount;
    }

    public override int ColumnCount { get; }

    public static async Task<PeopleRows> OpenAsync(
        PeopleAdminDbContext db, (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) query, int attributeCount, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        PostgresCommands.Of(connection)?.Send();
        var command = new NpgsqlCommand(query.Sql, connection);
        try
        {
            command.Parameters.AddRange(query.Parameters.ToArray());
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return new PostgresPeopleRows(db, command, reader, 3 + attributeCount);
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    public override bool Read() => _reader.Read();

    public override ReadOnlySpan<byte> Utf8(int column)
    {
        if (column < 0 || column >= ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"A row has {ColumnCount} columns.");
        }

        // Rows() selects the person's key first.
        if (_reader.IsDBNull(column + 1))
        {
            return [];
        }

        var text = _reader.GetString(column + 1);
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }

        return _buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, _buffer));
    }

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _command.DisposeAsync();
        await _db.DisposeAsync();
    }
}

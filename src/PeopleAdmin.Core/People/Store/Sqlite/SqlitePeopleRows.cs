using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// <see cref="PeopleRows"/> read from one SQLite statement (<see cref="SqliteAudienceSql.Rows"/>) through SQLite's own
/// API: each value is the UTF-8 SQLite holds, never a string. It owns its context and connection until disposed.
/// </summary>
internal sealed class SqlitePeopleRows : PeopleRows
{
    private readonly PeopleAdminDbContext _db;
    private readonly SqliteStatement _statement;

    private SqlitePeopleRows(PeopleAdminDbContext db, SqliteStatement statement, int columnCount)
    {
        _db = db;
        _statement = statement;
        ColumnCount = columnCount;
    }

    public override int ColumnCount { get; }

    public static async Task<PeopleRows> OpenAsync(
        PeopleAdminDbContext db, (string Sql, IReadOnlyList<SqliteParameter> Parameters) query, int attributeCount, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var statement = new SqliteStatement(connection.Handle!, query.Sql);
        try
        {
            foreach (var parameter in query.Parameters)
            {
                statement.Bind(parameter);
            }
        }
        catch
        {
            statement.Dispose();
            throw;
        }

        return new SqlitePeopleRows(db, statement, 3 + attributeCount);
    }

    public override bool Read() => _statement.Step();

    public override ReadOnlySpan<byte> Utf8(int column)
    {
        if (column < 0 || column >= ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"A row has {ColumnCount} columns.");
        }

        // Rows() selects the person's key first.
        return _statement.GetUtf8(column + 1);
    }

    public override async ValueTask DisposeAsync()
    {
        _statement.Dispose();
        await _db.DisposeAsync();
    }
}

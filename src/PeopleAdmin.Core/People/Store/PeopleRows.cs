using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Store.Sqlite;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// The people a filter matches, in key order, read from one SQLite statement a row at a time: column 0 is the
/// cio_id, 1 the id, 2 the email, then one per attribute asked for, each as the UTF-8 bytes SQLite holds (empty where
/// the person has none). Nothing is turned into a string, so an export of a million people holds one row at a time
/// and allocates nothing per value. It owns its context and connection until disposed.
/// </summary>
public sealed class PeopleRows : IAsyncDisposable
{
    private readonly PeopleAdminDbContext _db;
    private readonly SqliteStatement _statement;

    private PeopleRows(PeopleAdminDbContext db, SqliteStatement statement, int columnCount)
    {
        _db = db;
        _statement = statement;
        ColumnCount = columnCount;
    }

    public int ColumnCount { get; }

    internal static async Task<PeopleRows> OpenAsync(
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

        return new PeopleRows(db, statement, 3 + attributeCount);
    }

    /// <summary>Steps to the next person; false after the last.</summary>
    public bool Read() => _statement.Step();

    /// <summary>Column <paramref name="column"/> of the current row, valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Utf8(int column)
    {
        if (column < 0 || column >= ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"A row has {ColumnCount} columns.");
        }

        // Rows() selects the person's key first.
        return _statement.GetUtf8(column + 1);
    }

    public async ValueTask DisposeAsync()
    {
        _statement.Dispose();
        await _db.DisposeAsync();
    }
}

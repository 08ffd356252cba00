using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// Gives every SQLite connection a busy timeout, so that writes outside the single writer (sign-in, audit)
/// wait for the write lock instead of failing with "database is locked", the configured durability, and a page cache
/// that holds what a bulk transaction of the writer dirties (SQLite's default of 2 MB spills it to the WAL and back).
/// Temporary storage stays in memory: the writer runs every operation in a savepoint, whose journal would otherwise
/// be a temporary file written for every page an operation changes (it made each statement about 40% slower).
/// The automatic checkpoint waits for a larger write-ahead log than SQLite's default, since the writer's checkpointer
/// (<see cref="WalCheckpointer"/>) copies the log beside the writer.
/// </summary>
internal sealed class SqlitePragmas(DatabaseOptions options) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA busy_timeout = {options.BusyTimeoutMilliseconds}; PRAGMA synchronous = {(string.Equals(options.SqliteSynchronous, "Full", StringComparison.OrdinalIgnoreCase) ? "FULL" : "NORMAL")}; " +
        $"PRAGMA cache_size = -{Math.Max(2, options.SqliteCacheMegabytes) * 1024}; PRAGMA temp_store = MEMORY; " +
        $"PRAGMA wal_autocheckpoint = {Math.Max(1, options.SqliteCheckpointPages)};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

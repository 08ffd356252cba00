namespace PeopleAdmin.Core.Data;

/// <summary><c>PeopleAdmin:Database</c>: which database the app runs on (<see cref="DatabaseProviders"/>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "PeopleAdmin:Database";

    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>SQLite's <c>synchronous</c> pragma: <c>Normal</c> (the default) or <c>Full</c>, which survives power loss too.</summary>
    public string SqliteSynchronous { get; set; } = "Normal";

    /// <summary>How long a connection outside the writer waits for the database's write lock.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>
    /// SQLite's page cache per connection, in megabytes (SQLite's default is 2). A bulk transaction that dirties
    /// more pages than this spills them to the WAL mid-transaction and reads them back. Each connection holds its own,
    /// so the default is small: 64 put a 200,000-row import's peak at 398 MB, 16 kept 1,000,000 rows under 390 MB (README, #21).
    /// </summary>
    public int SqliteCacheMegabytes { get; set; } = 16;

    /// <summary>
    /// SQLite's <c>wal_autocheckpoint</c>: the write-ahead log's size, in pages, at which a committing connection
    /// copies it into the database itself (SQLite's default is 1,000). The writer's checkpointer copies each commit
    /// beside the writer long before that, so this only bounds the log: 64 MB of 4 KiB pages at the default (the file
    /// reached 96 to 112 MB under the load run, since a commit's own checkpoint is skipped while the checkpointer's runs).
    /// </summary>
    public int SqliteCheckpointPages { get; set; } = 16_000;
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    public static readonly IReadOnlyList<string> Accepted = [Sqlite, Postgres];

    public static bool IsPostgres(this DatabaseOptions options) => string.Equals(options.Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}

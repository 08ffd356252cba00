namespace PeopleAdmin.Core.Data;

/// <summary><c>PeopleAdmin:Database</c>: which database the app runs on.</summary>
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
    /// more pages than this spills them to the WAL mid-transaction and reads them back.
    /// </summary>
    public int SqliteCacheMegabytes { get; set; } = 64;
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";

    public static readonly IReadOnlyList<string> Accepted = [Sqlite];
}

using System.Diagnostics;
using MySqlConnector;
using Npgsql;
using PeopleAdmin.Core.Syncs;

namespace PeopleAdmin.Tests.Servers;

/// <summary>
/// The throwaway PostgreSQL and MariaDB source servers of <c>tests/servers/sync-sources.sh</c>: the ones <c>./test.sh</c>
/// started (named by <c>PEOPLEADMIN_SYNC_SOURCES</c> and its companions), else a pair this fixture starts and stops.
/// Each test makes tables of its own names, so tests share the servers safely.
/// </summary>
public sealed class SyncSources : IAsyncLifetime
{
    private string? _ownedDirectory;

    public string Directory { get; private set; } = "";

    public int PostgresPort { get; private set; }

    public int MySqlPort { get; private set; }

    public string Password { get; private set; } = "";

    public SourceSettings Postgres(string? password = null, string database = "source") =>
        new(SyncSourceKind.Postgres, "127.0.0.1", PostgresPort, database, "peopleadmin", password ?? Password, SyncSslMode.Disable);

    public SourceSettings MySql(string? password = null, string database = "source") =>
        new(SyncSourceKind.MySql, "127.0.0.1", MySqlPort, database, "peopleadmin", password ?? Password, SyncSslMode.Disable);

    public SourceSettings For(SyncSourceKind kind) => kind == SyncSourceKind.Postgres ? Postgres() : MySql();

    /// <summary>Runs statements on a source as its owner (the sync's user, with every right the tests need).</summary>
    public async Task ExecuteAsync(SyncSourceKind kind, string sql)
    {
        await using var connection = Open(kind);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Ends the sessions whose running query contains <paramref name="marker"/>: the source going away mid-run, as a
    /// restart or a network cut would, without touching other tests' sessions.
    /// </summary>
    public async Task<int> DropSyncSessionsAsync(SyncSourceKind kind, string marker)
    {
        if (kind == SyncSourceKind.Postgres)
        {
            await using var admin = new NpgsqlConnection($"Host={Path.Combine(Directory, "pg")};Port={PostgresPort};Username=postgres;Database=postgres;Pooling=false");
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where query like '%' || @marker || '%' and pid <> pg_backend_pid()", admin);
            command.Parameters.AddWithValue("marker", marker);
            return Convert.ToInt32(await command.ExecuteScalarAsync());
        }

        await using var connection = Open(kind);
        await connection.OpenAsync();
        var ids = new List<long>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "select id from information_schema.processlist where info like concat('%', @marker, '%') and id <> connection_id()";
            list.Parameters.Add(new MySqlParameter("marker", marker));
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(Convert.ToInt64(reader.GetValue(0)));
            }
        }

        foreach (var id in ids)
        {
            await using var kill = connection.CreateCommand();
            kill.CommandText = $"kill {id}";
            await kill.ExecuteNonQueryAsync();
        }

        return ids.Count;
    }

    private System.Data.Common.DbConnection Open(SyncSourceKind kind) => kind == SyncSourceKind.Postgres
        ? new NpgsqlConnection($"Host=127.0.0.1;Port={PostgresPort};Username=peopleadmin;Password={Password};Database=source;Pooling=false")
        : new MySqlConnection($"Server=127.0.0.1;Port={MySqlPort};User ID=peopleadmin;Password={Password};Database=source;Pooling=false;SslMode=None;AllowUserVariables=true");

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("PEOPLEADMIN_SYNC_SOURCES") is { Length: > 0 } directory)
        {
            Directory = directory;
            PostgresPort = int.Parse(Environment.GetEnvironmentVariable("PEOPLEADMIN_SYNC_POSTGRES_PORT")!);
            MySqlPort = int.Parse(Environment.GetEnvironmentVariable("PEOPLEADMIN_SYNC_MYSQL_PORT")!);
            Password = Environment.GetEnvironmentVariable("PEOPLEADMIN_SYNC_PASSWORD")!;
            return;
        }

        _ownedDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-sync-sources-" + Guid.NewGuid().ToString("n")[..8]);
        var output = await ScriptAsync("start", _ownedDirectory);
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Replace("export ", "", StringComparison.Ordinal).Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        Directory = values["PEOPLEADMIN_SYNC_SOURCES"];
        PostgresPort = int.Parse(values["PEOPLEADMIN_SYNC_POSTGRES_PORT"]);
        MySqlPort = int.Parse(values["PEOPLEADMIN_SYNC_MYSQL_PORT"]);
        Password = values["PEOPLEADMIN_SYNC_PASSWORD"];
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownedDirectory is not null)
        {
            await ScriptAsync("stop", _ownedDirectory);
        }
    }

    private static async Task<string> ScriptAsync(string verb, string directory)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "servers", "sync-sources.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, verb, directory]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/servers/sync-sources.sh {verb} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PeopleAdmin.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PeopleAdmin.sln not found above " + AppContext.BaseDirectory);
    }
}

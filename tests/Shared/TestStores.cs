using Microsoft.EntityFrameworkCore;
using Npgsql;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Tests;

public enum TestStore
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which store the suites run on. <c>PEOPLEADMIN_TEST_POSTGRES</c> names a PostgreSQL server the tests may create
/// databases on (<c>tests/postgres/cluster.sh</c> makes one); <c>PEOPLEADMIN_TEST_STORE=Postgres</c> then runs the
/// suites' databases on it instead of SQLite. <c>./test.sh</c> runs everything on SQLite, then the classes marked
/// <see cref="BothStoresAttribute"/> again on PostgreSQL.
/// </summary>
public static class TestStores
{
    public const string ServerVariable = "PEOPLEADMIN_TEST_POSTGRES";

    public const string StoreVariable = "PEOPLEADMIN_TEST_STORE";

    public static string? PostgresServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : null;

    /// <summary>The store of this run: SQLite unless <c>PEOPLEADMIN_TEST_STORE</c> says Postgres.</summary>
    public static TestStore Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable(StoreVariable), nameof(TestStore.Postgres), StringComparison.OrdinalIgnoreCase)
            ? TestStore.Postgres
            : TestStore.Sqlite;

    /// <summary>Skips the calling test when it needs PostgreSQL and no server is named.</summary>
    public static string RequirePostgresServer()
    {
        Assert.SkipWhen(PostgresServer is null, $"No PostgreSQL server: set {ServerVariable} to one (tests/postgres/cluster.sh start DIR prints it).");
        return PostgresServer!;
    }
}

/// <summary>Marks a test class as provider-specific: <c>./test.sh</c> runs it on SQLite and again on PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class BothStoresAttribute : Attribute, Xunit.v3.ITraitAttribute
{
    public const string Trait = "Store";

    public const string Value = "Both";

    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(Trait, Value)];
}

/// <summary>
/// Fresh migrated PostgreSQL databases, each a copy of one template migrated once per test process (a copy takes a
/// fraction of the time the migrations take).
/// </summary>
public static class PostgresDatabases
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    /// <summary>Creates a migrated database and returns its connection string.</summary>
    public static async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        var server = TestStores.RequirePostgresServer();
        var template = await TemplateAsync(server, cancellationToken);
        var name = "pa_" + Guid.NewGuid().ToString("n");
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken);
        return On(server, name);
    }

    /// <summary>Drops a database made by <see cref="CreateAsync"/>, ending its connections.</summary>
    public static async Task DropAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        await ExecuteAsync(TestStores.PostgresServer!, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
    }

    public static DbContextOptions<PeopleAdminDbContext> Options(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { Provider = DatabaseProviders.Postgres }, connectionString);
        return options.Options;
    }

    private static async Task<string> TemplateAsync(string server, CancellationToken cancellationToken)
    {
        await TemplateGate.WaitAsync(cancellationToken);
        try
        {
            if (_template is null)
            {
                var name = "pa_template_" + Guid.NewGuid().ToString("n");
                await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"", cancellationToken);
                var connectionString = On(server, name);
                await DatabaseMigrator.MigrateAsync(new PeopleAdminContextFactory(Options(connectionString)), cancellationToken);
                // A template is copied only while nobody is connected to it.
                NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                    ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None).GetAwaiter().GetResult();
                _template = name;
            }

            return _template;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static string On(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    private static async Task ExecuteAsync(string server, string sql, CancellationToken cancellationToken)
    {
        // Not pooled: a pooled idle connection to the server's database would outlive the test run.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// A migrated database with one workspace, its writer and the service: a SQLite file in a temporary folder, or, when
/// <c>PEOPLEADMIN_BENCH_POSTGRES</c> holds an Npgsql connection string, that PostgreSQL database (emptied first).
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "PEOPLEADMIN_BENCH_POSTGRES";

    private readonly WriteQueue _writer;

    private BenchDatabase(string directory, IDbContextFactory<PeopleAdminDbContext> factory, int workspaceId)
    {
        Directory = directory;
        Factory = factory;
        WorkspaceId = workspaceId;
        _writer = new WriteQueue(factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        Service = new PeopleService(_writer, factory, TimeProvider.System);
    }

    public string Directory { get; }

    public IDbContextFactory<PeopleAdminDbContext> Factory { get; }

    public int WorkspaceId { get; }

    public PeopleService Service { get; }

    public OperationContext Context => new(WorkspaceId, Sources.Api);

    /// <summary>The import engine on this database, in batches of <paramref name="batchRows"/> rows (the demo generator's way in).</summary>
    public Core.Imports.ImportService Imports(int batchRows = 5_000) =>
        new(Factory, Service, TimeProvider.System, new Core.Imports.ImportsOptions { BatchRows = batchRows, MaxFileBytes = long.MaxValue }, Path.Combine(Directory, "imports"));

    /// <summary><paramref name="synchronous"/>: SQLite's durability, as <c>PeopleAdmin__Database__SqliteSynchronous</c> sets it.</summary>
    public static async Task<BenchDatabase> CreateAsync(string synchronous = "Normal")
    {
        var directory = Path.Combine(Path.GetTempPath(), "peopleadmin-bench", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        if (Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } postgres)
        {
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { Provider = DatabaseProviders.Postgres }, postgres);
        }
        else
        {
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { SqliteSynchronous = synchronous }, $"Data Source={Path.Combine(directory, "bench.db")}");
        }

        IDbContextFactory<PeopleAdminDbContext> factory = new PeopleAdminContextFactory(options.Options);
        await using (var fresh = await factory.CreateDbContextAsync())
        {
            // A PostgreSQL database outlives the run: each run starts from an empty one.
            await fresh.Database.EnsureDeletedAsync();
        }

        await DatabaseMigrator.MigrateAsync(factory, CancellationToken.None);
        await using var db = await factory.CreateDbContextAsync();
        var workspace = new Workspace
        {
            Name = "Benchmarks",
            SiteId = "bench-site",
            TrackApiKeyHash = "track",
            TrackApiKeyProtected = "track",
            AppApiKeyHash = "app",
            AppApiKeyProtected = "app",
            CreatedAt = DateTime.UtcNow,
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        return new BenchDatabase(directory, factory, workspace.Id);
    }

    public static IdentifyOperation Identify(string id, params (string Name, AttributeValue Value)[] attributes) =>
        new(PersonReference.ForId(id), attributes.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    public async Task<OperationResult> RunAsync(PeopleOperation operation)
    {
        var result = await Service.ExecuteAsync(Context, operation, CancellationToken.None);
        if (result.Status == OperationStatus.Rejected)
        {
            throw new InvalidOperationException($"{operation.GetType().Name} was rejected: {result.Error}");
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

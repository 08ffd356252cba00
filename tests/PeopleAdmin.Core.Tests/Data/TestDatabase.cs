using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

/// <summary>
/// A fresh, migrated database, dropped when disposed: a SQLite file in a temporary folder, or a PostgreSQL database
/// (see <see cref="TestStores"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgres;

    private TestDatabase(TestStore store, string directory, string? postgres, IDbContextFactory<PeopleAdminDbContext> factory)
    {
        Store = store;
        Directory = directory;
        _postgres = postgres;
        Factory = factory;
    }

    public TestStore Store { get; }

    /// <summary>A temporary folder of the test's own (SQLite keeps its database file there).</summary>
    public string Directory { get; }

    public IDbContextFactory<PeopleAdminDbContext> Factory { get; }

    /// <summary>On the store of this run (<see cref="TestStores.Current"/>).</summary>
    /// <param name="interceptors">EF Core interceptors for every context of the database (to observe what the code under test does).</param>
    public static Task<TestDatabase> CreateAsync(CancellationToken cancellationToken, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors) =>
        CreateAsync(TestStores.Current, cancellationToken, interceptors);

    public static async Task<TestDatabase> CreateAsync(
        TestStore store, CancellationToken cancellationToken, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors)
    {
        var directory = Path.Combine(Path.GetTempPath(), "peopleadmin-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var postgres = store == TestStore.Postgres ? await PostgresDatabases.CreateAsync(cancellationToken) : null;
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        if (postgres is null)
        {
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(directory, "test.db")}");
        }
        else
        {
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { Provider = DatabaseProviders.Postgres }, postgres);
        }

        options.AddInterceptors(interceptors);
        IDbContextFactory<PeopleAdminDbContext> factory = new PeopleAdminContextFactory(options.Options);
        // A PostgreSQL database is a copy of a migrated template; migrating again finds nothing to do.
        await DatabaseMigrator.MigrateAsync(factory, cancellationToken);
        return new TestDatabase(store, directory, postgres, factory);
    }

    /// <summary>Adds a workspace with default settings and throwaway credentials; returns its id.</summary>
    public async Task<int> AddWorkspaceAsync(CancellationToken cancellationToken, Action<Workspaces.WorkspaceSettings>? configure = null)
    {
        await using var db = await Factory.CreateDbContextAsync(cancellationToken);
        var suffix = Guid.NewGuid().ToString("n");
        var workspace = new Workspaces.Workspace
        {
            Name = "Test " + suffix[..6],
            SiteId = "site" + suffix,
            TrackApiKeyHash = "track" + suffix,
            TrackApiKeyProtected = "track",
            AppApiKeyHash = "app" + suffix,
            AppApiKeyProtected = "app",
            CreatedAt = DateTime.UtcNow,
        };
        configure?.Invoke(workspace.Settings);
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(cancellationToken);
        return workspace.Id;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await PostgresDatabases.DropAsync(_postgres);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow filesystem is left for the OS's temp cleanup.
        }
    }
}

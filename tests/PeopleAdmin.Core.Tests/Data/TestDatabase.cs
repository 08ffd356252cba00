using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Tests.Data;

/// <summary>A fresh, migrated SQLite file database in a temporary folder, deleted when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string directory, IDbContextFactory<PeopleAdminDbContext> factory)
    {
        Directory = directory;
        Factory = factory;
    }

    public string Directory { get; }

    public IDbContextFactory<PeopleAdminDbContext> Factory { get; }

    public string ConnectionString => $"Data Source={Path.Combine(Directory, "test.db")}";

    /// <param name="interceptors">EF Core interceptors for every context of the database (to observe what the code under test does).</param>
    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken, params Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] interceptors)
    {
        var directory = Path.Combine(Path.GetTempPath(), "peopleadmin-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(directory, "test.db")}");
        options.AddInterceptors(interceptors);
        IDbContextFactory<PeopleAdminDbContext> factory = new PeopleAdminContextFactory(options.Options);
        await DatabaseMigrator.MigrateAsync(factory, cancellationToken);
        return new TestDatabase(directory, factory);
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

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow filesystem is left for the OS's temp cleanup.
        }

        return ValueTask.CompletedTask;
    }
}

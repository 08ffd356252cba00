using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.Data;

public static class DatabaseMigrator
{
    /// <summary>Creates the database if needed (its file 0600, see <see cref="PrivateFiles"/>), applies every migration and switches SQLite to WAL.</summary>
    public static async Task MigrateAsync(IDbContextFactory<PeopleAdminDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var file = db.Database.IsSqlite() ? SqliteFile(db) : null;
        if (file is not null && Path.GetDirectoryName(file) is { } directory)
        {
            PrivateFiles.CreateFolder(directory);
            // SQLite gives its -wal and -shm files the database file's mode, so they are born 0600 too.
            PrivateFiles.Restrict(file);
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (file is not null)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            PrivateFiles.RestrictIfPresent(file + "-wal");
            PrivateFiles.RestrictIfPresent(file + "-shm");
        }
    }

    /// <summary>The database's file, or null for an in-memory database.</summary>
    private static string? SqliteFile(PeopleAdminDbContext db)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory
            ? null
            : Path.GetFullPath(builder.DataSource);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace PeopleAdmin.Core.Data;

public static class DatabaseMigrator
{
    /// <summary>The longest wait between two attempts to reach the database server.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <see cref="MigrateAsync"/>, waiting for a database server that does not answer yet (a PostgreSQL server still
    /// starting, a network that is not up): each failed attempt is logged as an error that names the server and why,
    /// and the next comes after twice the wait, up to <see cref="MaxRetryDelay"/>. Anything else (a refused password,
    /// a failing migration) ends the start at once.
    /// </summary>
    public static async Task MigrateWhenReachableAsync(
        IDbContextFactory<PeopleAdminDbContext> factory, ILogger logger, CancellationToken cancellationToken, TimeSpan? firstDelay = null)
    {
        var delay = firstDelay ?? TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(factory, cancellationToken);
                return;
            }
            catch (DbException exception) when (exception.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(
                    "The database server {Server} is unreachable ({Reason}); PeopleAdmin waits for it and tries again in {Delay} (attempt {Attempt}).",
                    await ServerAsync(factory, cancellationToken), exception.InnerException?.Message ?? exception.Message, delay, attempt);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Where the database is, as the provider says it (never the connection string, which may hold a password).</summary>
    private static async Task<string> ServerAsync(IDbContextFactory<PeopleAdminDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return db.Database.GetDbConnection().DataSource;
    }

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

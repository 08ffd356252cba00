using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>
/// Copies what the writer commits from SQLite's write-ahead log into the database file, on a thread and a connection of
/// its own, beside the writer. Left to itself, SQLite checkpoints inside the commit that takes the log past
/// <c>wal_autocheckpoint</c> pages, and every caller of that batch waits for the copy and its fsync. With the threshold
/// raised (<see cref="DatabaseOptions.SqliteCheckpointPages"/>), this checkpointer runs a passive checkpoint after
/// each commit, so that when the writer reaches the threshold nearly every page has been copied already: its own
/// checkpoint is short, and the next transaction starts the log over from its beginning. A passive checkpoint never
/// blocks the writer or a reader; one that finds another checkpoint running simply skips its turn.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly IDbContextFactory<PeopleAdminDbContext> _factory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private int _pending;

    public WalCheckpointer(IDbContextFactory<PeopleAdminDbContext> factory, ILogger logger)
    {
        _factory = factory;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite WAL checkpointer" };
        _thread.Start();
    }

    /// <summary>The writer committed: copy what it wrote. Signals given while a checkpoint runs make one more.</summary>
    public void Committed()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _signal.Release();
        }
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                _signal.Wait(_stopping.Token);
                Volatile.Write(ref _pending, 0);
                try
                {
                    connection ??= Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    command.ExecuteNonQuery();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Nothing here may end the process (an exception leaving this thread would). The writer's own
                    // checkpoint at the threshold still bounds the log; try again after the next commit.
                    _logger.LogWarning(exception, "A checkpoint beside the writer failed; the writer's own checkpoint still bounds the write-ahead log");
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>A connection of its own, opened through EF Core so that it gets the same pragmas as every other.</summary>
    private SqliteConnection Open()
    {
        using var db = _factory.CreateDbContext();
        var connection = new SqliteConnection(db.Database.GetConnectionString());
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        db.Database.OpenConnection();
        return connection;
    }

    /// <summary>Stops after the checkpoint under way, if any.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join();
        _stopping.Dispose();
        _signal.Dispose();
    }
}

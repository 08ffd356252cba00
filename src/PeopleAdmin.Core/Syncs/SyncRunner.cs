using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

/// <summary>
/// Runs queued sync runs: claims one (queued to running, by a conditional update, so that two instances never run the
/// same), streams the query's rows from the source in chunks into the identity service, keeps the counts on the run
/// row as it goes, and ends it succeeded or failed with the reason. Rows applied before a failure stay applied, and
/// the run says how many; <c>{{last_sync_time}}</c> moves only when a run succeeds, so the next run reads them again.
/// </summary>
public sealed class SyncRunner(
    IDbContextFactory<PeopleAdminDbContext> factory, SyncConnectionsService connections, PeopleService people, TimeProvider time, ILogger<SyncRunner> logger)
{
    public const int ChunkSize = 1000;

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A run was queued: the background worker looks now rather than at its next poll.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Woken already.
        }
    }

    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    /// <summary>Claims the oldest queued run; null when none is queued (or another instance took it first).</summary>
    public async Task<long?> ClaimNextAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var id in await db.SyncRuns.Where(r => r.State == SyncRunState.Queued).OrderBy(r => r.Id).Select(r => r.Id).Take(5).ToListAsync(ct))
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var claimed = await db.SyncRuns.Where(r => r.Id == id && r.State == SyncRunState.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, SyncRunState.Running).SetProperty(r => r.StartedMs, now).SetProperty(r => r.HeartbeatMs, now), ct);
            if (claimed == 1)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Runs a claimed run to its end; a failure of the source or of a row never escapes, it ends the run as failed.</summary>
    public async Task RunAsync(long runId, CancellationToken ct)
    {
        Sync? sync;
        SyncRun run;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            run = await db.SyncRuns.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
            sync = await db.Syncs.AsNoTracking().FirstOrDefaultAsync(s => s.Id == run.SyncId, ct);
        }

        var counts = new SyncRunCounts();
        if (sync is null)
        {
            await FinishAsync(runId, counts, "the sync was deleted", ct);
            return;
        }

        using var heartbeat = new CancellationTokenSource();
        var beating = BeatAsync(runId, heartbeat.Token);
        string? error = null;
        try
        {
            await ImportAsync(sync, DateTimeOffset.FromUnixTimeMilliseconds(run.StartedMs!.Value), counts, runId, ct);
        }
        catch (SyncSourceException failure)
        {
            error = $"{failure.Stage}: {failure.Message}";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "the server stopped during the run";
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Sync {SyncId} run {RunId} failed", sync.Id, runId);
            error = $"the run failed on this server: {exception.Message}";
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
        }

        await FinishAsync(runId, counts, error, CancellationToken.None);
        if (error is null)
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            await db.Syncs.Where(s => s.Id == sync.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSyncTimeMs, run.StartedMs), CancellationToken.None);
        }
    }

    private async Task ImportAsync(Sync sync, DateTimeOffset started, SyncRunCounts counts, long runId, CancellationToken ct)
    {
        var settings = await connections.SettingsAsync(sync.WorkspaceId, sync.ConnectionId, ct)
            ?? throw new SyncSourceException(SourceStages.Connect, "the sync's connection was deleted");
        var query = SyncQuery.Parse(sync.Query, out var problem);
        if (problem is not null)
        {
            throw new SyncSourceException(SourceStages.Query, problem);
        }

        var lastSyncTime = sync.LastSyncTimeMs is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : DateTimeOffset.UnixEpoch;
        await using var session = await SourceDatabase.For(settings).OpenAsync(ct);
        IReadOnlyList<string> columns = [];
        SyncRowWriter? writer = null;
        var chunk = new List<(long Row, object?[] Values)>(ChunkSize);
        await foreach (var values in session.ReadAsync(query, lastSyncTime, c => columns = c, ct))
        {
            writer ??= await SyncRowWriter.CreateAsync(people, factory, sync, columns, ct);
            counts.Read++;
            chunk.Add((counts.Read, values));
            if (chunk.Count == ChunkSize)
            {
                await writer.WriteAsync(chunk, counts, ct);
                chunk.Clear();
                await ProgressAsync(runId, counts, ct);
            }
        }

        if (chunk.Count > 0)
        {
            await writer!.WriteAsync(chunk, counts, ct);
        }

        logger.LogInformation("Sync {SyncId} read {Rows} rows since {LastSyncTime} (run started {Started})", sync.Id, counts.Read, lastSyncTime, started);
    }

    private async Task ProgressAsync(long runId, SyncRunCounts counts, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.SyncRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.RowsRead, counts.Read).SetProperty(r => r.RowsCreated, counts.Created).SetProperty(r => r.RowsUpdated, counts.Updated)
            .SetProperty(r => r.RowsSkipped, counts.Skipped).SetProperty(r => r.RowsFailed, counts.Failed), ct);
    }

    private async Task FinishAsync(long runId, SyncRunCounts counts, string? error, CancellationToken ct)
    {
        var warning = counts.Read > SyncLimits.RowWarning
            ? $"the query returned {counts.Read:N0} rows; Customer.io stops a sync at {SyncLimits.RowWarning:N0}, PeopleAdmin read them all"
            : null;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.SyncRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.State, error is null ? SyncRunState.Succeeded : SyncRunState.Failed)
            .SetProperty(r => r.FinishedMs, time.GetUtcNow().ToUnixTimeMilliseconds())
            .SetProperty(r => r.RowsRead, counts.Read).SetProperty(r => r.RowsCreated, counts.Created).SetProperty(r => r.RowsUpdated, counts.Updated)
            .SetProperty(r => r.RowsSkipped, counts.Skipped).SetProperty(r => r.RowsFailed, counts.Failed)
            .SetProperty(r => r.Error, error == null ? null : error.Length > 2000 ? error[..2000] : error)
            .SetProperty(r => r.Warning, warning)
            .SetProperty(r => r.ErrorsReport, counts.Report), ct);
    }

    private async Task BeatAsync(long runId, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(HeartbeatInterval, time, stop);
                await using var db = await factory.CreateDbContextAsync(stop);
                await db.SyncRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.HeartbeatMs, time.GetUtcNow().ToUnixTimeMilliseconds()), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }
}

/// <summary>
/// Queues the syncs that are due. A sync whose previous run is still queued or running gets a skipped run instead
/// (the one-active-run index decides, on every instance alike), and its next time moves on by its interval.
/// </summary>
public sealed class SyncScheduler(IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider time)
{
    /// <summary>A running run whose heartbeat is older than this lost its server.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(5);

    /// <summary>Answers how many runs were queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await factory.CreateDbContextAsync(ct);
        var due = await db.Syncs.AsNoTracking().Where(s => !s.Paused && s.NextRunMs <= now).Select(s => new { s.Id, s.WorkspaceId, s.NextRunMs, s.IntervalMinutes }).ToListAsync(ct);
        var queued = 0;
        foreach (var sync in due)
        {
            var interval = sync.IntervalMinutes * 60_000L;
            var next = sync.NextRunMs + ((now - sync.NextRunMs) / interval + 1) * interval;
            // Only the instance that moves the time on queues: the others find it moved.
            var moved = await db.Syncs.Where(s => s.Id == sync.Id && s.NextRunMs == sync.NextRunMs).ExecuteUpdateAsync(u => u.SetProperty(s => s.NextRunMs, next), ct);
            if (moved == 0)
            {
                continue;
            }

            await using var insert = await factory.CreateDbContextAsync(ct);
            insert.SyncRuns.Add(new SyncRun { WorkspaceId = sync.WorkspaceId, SyncId = sync.Id, State = SyncRunState.Queued, QueuedMs = now });
            try
            {
                await insert.SaveChangesAsync(ct);
                queued++;
            }
            catch (DbUpdateException)
            {
                await using var skip = await factory.CreateDbContextAsync(ct);
                skip.SyncRuns.Add(new SyncRun
                {
                    WorkspaceId = sync.WorkspaceId, SyncId = sync.Id, State = SyncRunState.Skipped, QueuedMs = now, FinishedMs = now,
                    Error = "skipped: the previous run was still going when this one was due",
                });
                await skip.SaveChangesAsync(ct);
            }
        }

        return queued;
    }

    /// <summary>Fails the running runs whose server stopped (no heartbeat for <see cref="StalledAfter"/>), so that their syncs run again.</summary>
    public async Task<int> FailStalledAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var before = now - (long)StalledAfter.TotalMilliseconds;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SyncRuns.Where(r => r.State == SyncRunState.Running && r.HeartbeatMs < before).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.State, SyncRunState.Failed).SetProperty(r => r.FinishedMs, now)
            .SetProperty(r => r.Error, "the server running it stopped (no sign of life for 5 minutes); the sync runs again at its next time"), ct);
    }
}

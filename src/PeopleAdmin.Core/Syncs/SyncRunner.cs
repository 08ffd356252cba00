using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

/// <summary>
/// Runs queued sync runs: claims one (queued to running, by a conditional update, so that two instances never run the
/// same), records an import of source <c>sync</c> for it, and streams the query's rows into the import engine, which
/// applies them as it applies a CSV file's (the same row rules, counts and reports). The run ends succeeded when the
/// import did, otherwise failed with the reason: the source's, or the import's. Rows applied before a failure stay
/// applied, and the counts say how many; <c>{{last_sync_time}}</c> moves only when a run succeeds, so the next run reads them again.
/// </summary>
public sealed class SyncRunner(
    IDbContextFactory<PeopleAdminDbContext> factory, SyncConnectionsService connections, ImportService imports, TimeProvider time, ILogger<SyncRunner> logger)
{
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

    /// <summary>
    /// Claims the oldest unclaimed queued run (by a conditional update of its heartbeat, so that two instances never run
    /// the same); null when none is waiting (or another instance took it first). The run stays <c>queued</c> until its
    /// import's turn comes in the workspace's import queue.
    /// </summary>
    public async Task<long?> ClaimNextAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var id in await db.SyncRuns.Where(r => r.State == SyncRunState.Queued && r.HeartbeatMs == null).OrderBy(r => r.Id).Select(r => r.Id).Take(5).ToListAsync(ct))
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var claimed = await db.SyncRuns.Where(r => r.Id == id && r.State == SyncRunState.Queued && r.HeartbeatMs == null)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.HeartbeatMs, now), ct);
            if (claimed == 1)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs a claimed run to its end: its import waits behind the workspace's imports (the run is <c>queued</c>), then
    /// reads the source (<c>running</c>). A failure of the source or of a row never escapes, it ends the run as failed.
    /// </summary>
    public async Task RunAsync(long runId, CancellationToken ct)
    {
        Sync? sync;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var syncId = await db.SyncRuns.Where(r => r.Id == runId).Select(r => r.SyncId).FirstAsync(ct);
            sync = await db.Syncs.AsNoTracking().FirstOrDefaultAsync(s => s.Id == syncId, ct);
        }

        if (sync is null)
        {
            await EndAsync(factory, time, runId, null, 0, "the sync was deleted", CancellationToken.None);
            return;
        }

        using var heartbeat = new CancellationTokenSource();
        var beating = BeatAsync(runId, heartbeat.Token);
        var reading = new Reading(sync, runId);
        long? importId = null;
        string? error = null;
        try
        {
            var queued = await imports.QueueRunAsync(
                sync.WorkspaceId, new ImportRequest(sync.Name, Options(sync), "sync:" + sync.Name, sync.Name, Source: Sources.Sync), open => OpenAsync(reading, open), ct);
            importId = queued.Import.Id;
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                await db.SyncRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.ImportId, importId), ct);
            }

            await queued.Ended.WaitAsync(ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            error = "the server stopped during the run; the sync runs again at its next time";
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

        // The source's own words (the stage that failed) say more than the engine's wrapping of them.
        error ??= (reading.Rows?.Failure ?? reading.Failure) is { } failure ? $"{failure.Stage}: {failure.Message}" : null;
        if (error is not null && importId is { } failedImport)
        {
            await imports.FailAsync(failedImport, error, CancellationToken.None);
        }

        if (await EndAsync(factory, time, runId, importId, reading.Rows?.RowsRead ?? 0, error, CancellationToken.None))
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            await db.Syncs.Where(s => s.Id == sync.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSyncTimeMs, reading.StartedMs), CancellationToken.None);
        }
    }

    /// <summary>What a run's reading of its source came to: when it began, the rows, or why the source could not be read.</summary>
    private sealed class Reading(Sync sync, long runId)
    {
        public Sync Sync { get; } = sync;

        public long RunId { get; } = runId;

        public long StartedMs { get; set; }

        public SourceRows? Rows { get; set; }

        public SyncSourceException? Failure { get; set; }
    }

    /// <summary>The import's turn has come: the run is running from now, and the query's rows stream from an open session.</summary>
    private async Task<IImportSource> OpenAsync(Reading reading, CancellationToken ct)
    {
        var sync = reading.Sync;
        reading.StartedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await db.SyncRuns.Where(r => r.Id == reading.RunId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, SyncRunState.Running).SetProperty(r => r.StartedMs, reading.StartedMs), ct);
        }

        try
        {
            var settings = await connections.SettingsAsync(sync.WorkspaceId, sync.ConnectionId, ct)
                ?? throw new SyncSourceException(SourceStages.Connect, "the sync's connection was deleted");
            var query = SyncQuery.Parse(sync.Query, out var problem);
            if (problem is not null)
            {
                throw new SyncSourceException(SourceStages.Query, problem);
            }

            var lastSyncTime = sync.LastSyncTimeMs is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : DateTimeOffset.UnixEpoch;
            var rows = await SourceDatabase.For(settings).OpenRowsAsync(query, lastSyncTime, sync.Identifier, ct);
            if (SyncColumns.Check(rows.Columns, sync.Identifier) is { } broken)
            {
                rows.Dispose();
                throw new SyncSourceException(SourceStages.Query, broken);
            }

            logger.LogInformation("Sync {SyncId} reads rows changed since {LastSyncTime}", sync.Id, lastSyncTime);
            return reading.Rows = rows;
        }
        catch (SyncSourceException failure)
        {
            reading.Failure = failure;
            throw;
        }
    }

    /// <summary>The import's options for a sync: people, by its identifier, with its choices of rows, empty values and segment.</summary>
    internal static ImportOptions Options(Sync sync) => new()
    {
        Type = ImportType.People,
        Identifier = sync.Identifier,
        DataToProcess = sync.DataToProcess switch
        {
            SyncDataToProcess.OnlyNew => DataToProcess.OnlyNew,
            SyncDataToProcess.OnlyExisting => DataToProcess.OnlyExisting,
            _ => DataToProcess.All,
        },
        EmptyValues = sync.EmptyValues == SyncEmptyValues.Remove ? EmptyValues.Remove : EmptyValues.Ignore,
        Segment = sync.SegmentName is { } name ? new ImportSegment(null, name) : null,
    };

    /// <summary>
    /// Ends a claimed run as its import ended, with the import's counts; true when it succeeded. A run that failed part
    /// way counts as read the rows whose outcome the import committed.
    /// </summary>
    internal static async Task<bool> EndAsync(
        IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider time, long runId, long? importId, long read, string? error, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var import = importId is { } id ? await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct) : null;
        var succeeded = error is null && import is { State: ImportState.Imported };
        error ??= import switch
        {
            null or { State: ImportState.Imported } => null,
            { State: ImportState.Canceled } => $"import {import.Id} was canceled; the rows before it stopped were applied",
            _ => import.Error ?? $"import {import.Id} ended {ImportService.StateName(import.State)}",
        };
        var warning = read > SyncLimits.RowWarning
            ? $"the query returned {read:N0} rows; Customer.io stops a sync at {SyncLimits.RowWarning:N0}, PeopleAdmin read them all"
            : null;
        var ended = await db.SyncRuns.Where(r => r.Id == runId && (r.State == SyncRunState.Running || r.State == SyncRunState.Queued)).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.State, succeeded ? SyncRunState.Succeeded : SyncRunState.Failed)
            .SetProperty(r => r.FinishedMs, time.GetUtcNow().ToUnixTimeMilliseconds())
            .SetProperty(r => r.RowsRead, Math.Max(read, import == null ? 0 : import.RowsCommitted))
            .SetProperty(r => r.RowsCreated, import == null ? 0 : import.RowsCreated)
            .SetProperty(r => r.RowsUpdated, import == null ? 0 : import.RowsUpdated)
            .SetProperty(r => r.RowsSkipped, import == null ? 0 : import.RowsSkipped)
            .SetProperty(r => r.RowsFailed, import == null ? 0 : import.RowsFailed)
            .SetProperty(r => r.Error, error == null ? null : error.Length > 2000 ? error[..2000] : error)
            .SetProperty(r => r.Warning, warning), ct);
        return succeeded && ended == 1;
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
public sealed class SyncScheduler(IDbContextFactory<PeopleAdminDbContext> factory, ImportService imports, TimeProvider time)
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

    /// <summary>
    /// Fails the claimed runs whose server stopped (no heartbeat for <see cref="StalledAfter"/>), and their imports, so that
    /// their syncs run again: the counts and the reason are the import's (a restart's recovery may have ended it first).
    /// </summary>
    public async Task<int> FailStalledAsync(CancellationToken ct)
    {
        const string reason = "the server running it stopped (no sign of life for 5 minutes); the sync runs again at its next time";
        var before = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)StalledAfter.TotalMilliseconds;
        List<(long Id, long? ImportId)> stalled;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            stalled = [.. (await db.SyncRuns.Where(r => (r.State == SyncRunState.Running || r.State == SyncRunState.Queued) && r.HeartbeatMs < before)
                .Select(r => new { r.Id, r.ImportId }).ToListAsync(ct)).Select(r => (r.Id, r.ImportId))];
        }

        foreach (var (runId, importId) in stalled)
        {
            if (importId is { } id)
            {
                await imports.FailAsync(id, reason, ct);
            }

            await SyncRunner.EndAsync(factory, time, runId, importId, 0, importId is null ? reason : null, ct);
        }

        return stalled.Count;
    }
}

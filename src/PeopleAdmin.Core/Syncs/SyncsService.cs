using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

public sealed record SyncInput(
    string Name, long ConnectionId, string Query, int IntervalMinutes, IdentifierKind Identifier,
    SyncDataToProcess DataToProcess, SyncEmptyValues EmptyValues, string? SegmentName, bool Paused, bool ResetLastSyncTime = false);

public sealed record SyncSummary(
    long Id, string Name, long ConnectionId, string ConnectionName, string Query, int IntervalMinutes, IdentifierKind Identifier,
    SyncDataToProcess DataToProcess, SyncEmptyValues EmptyValues, string? SegmentName, bool Paused,
    DateTimeOffset? LastSyncTime, DateTimeOffset NextRun, SyncRunSummary? LastRun);

public sealed record SyncRunSummary(
    long Id, long SyncId, SyncRunState State, bool Manual, DateTimeOffset Queued, DateTimeOffset? Started, DateTimeOffset? Finished,
    long RowsRead, long RowsCreated, long RowsUpdated, long RowsSkipped, long RowsFailed, string? Error, string? Warning, long? ImportId, long Warnings)
{
    public TimeSpan? Duration => Started is { } started && Finished is { } finished ? finished - started : null;

    /// <summary>The import's errors.csv: the rows that failed and why.</summary>
    public bool HasErrorsReport => ImportId is not null && RowsFailed > 0;

    /// <summary>The import's warnings.csv: skipped rows and identifiers it could not change, with why.</summary>
    public bool HasWarningsReport => ImportId is not null && Warnings > 0;
}

/// <summary>A preview: the query's first rows and what each column becomes.</summary>
public sealed record SyncPreview(SourcePreview Rows, IReadOnlyList<string> Mapping);

/// <summary>
/// A workspace's syncs and their runs, a context per operation. A sync is saved only when its query keeps Customer.io's
/// rules (<see cref="SyncQuery"/> for the text, <see cref="SyncColumns"/> for what the source says the query selects).
/// </summary>
public sealed class SyncsService(IDbContextFactory<PeopleAdminDbContext> factory, SyncConnectionsService connections, ImportService imports, TimeProvider time)
{
    /// <summary>The intervals a sync may run at, in minutes: 15 minutes, hourly, every 6 hours, daily.</summary>
    public static readonly IReadOnlyList<int> Intervals = [15, 60, 360, 1440];

    public async Task<IReadOnlyList<SyncSummary>> ListAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var syncs = await db.Syncs.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.Name).ToListAsync(ct);
        var names = await db.SyncConnections.AsNoTracking().Where(c => c.WorkspaceId == workspaceId).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var ids = syncs.Select(s => s.Id).ToList();
        var lastRuns = await db.SyncRuns.AsNoTracking()
            .Where(r => ids.Contains(r.SyncId) && r.Id == db.SyncRuns.Where(o => o.SyncId == r.SyncId).Max(o => o.Id))
            .ToDictionaryAsync(r => r.SyncId, ct);
        var runImports = await ImportsOfAsync(db, lastRuns.Values, ct);
        return [.. syncs.Select(s => Summary(s, names.GetValueOrDefault(s.ConnectionId, ""), lastRuns.GetValueOrDefault(s.Id), runImports))];
    }

    public async Task<SyncSummary?> GetAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var sync = await db.Syncs.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);
        if (sync is null)
        {
            return null;
        }

        var connection = await db.SyncConnections.AsNoTracking().Where(c => c.Id == sync.ConnectionId).Select(c => c.Name).FirstOrDefaultAsync(ct);
        var lastRun = await db.SyncRuns.AsNoTracking().Where(r => r.SyncId == id).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return Summary(sync, connection ?? "", lastRun, await ImportsOfAsync(db, lastRun is null ? [] : [lastRun], ct));
    }

    /// <summary>
    /// Creates a sync (<paramref name="id"/> null) or changes one, after asking the source to describe the query. A new,
    /// unpaused sync runs at once, then on its interval; a change keeps <c>{{last_sync_time}}</c> unless told to reset it.
    /// </summary>
    public async Task<(SyncSummary? Sync, RequestError? Error)> SaveAsync(int workspaceId, long? id, SyncInput input, CancellationToken ct)
    {
        if (Validate(input) is { } invalid)
        {
            return (null, invalid);
        }

        if (await CheckQueryAsync(workspaceId, input.ConnectionId, input.Query, input.Identifier, ct) is { Error: { } queryError })
        {
            return (null, queryError);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Sync? sync;
        if (id is null)
        {
            sync = new Sync { WorkspaceId = workspaceId, Name = "", Query = "", CreatedMs = now, NextRunMs = now };
            db.Syncs.Add(sync);
        }
        else if ((sync = await db.Syncs.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct)) is null)
        {
            return (null, NotFound(id.Value));
        }
        else if (sync.IntervalMinutes != input.IntervalMinutes)
        {
            sync.NextRunMs = Math.Min(sync.NextRunMs, now + input.IntervalMinutes * 60_000L);
        }

        sync.Name = input.Name.Trim();
        sync.ConnectionId = input.ConnectionId;
        sync.Query = input.Query;
        sync.IntervalMinutes = input.IntervalMinutes;
        sync.Identifier = input.Identifier;
        sync.DataToProcess = input.DataToProcess;
        sync.EmptyValues = input.EmptyValues;
        sync.SegmentName = string.IsNullOrWhiteSpace(input.SegmentName) ? null : input.SegmentName.Trim();
        sync.Paused = input.Paused;
        sync.UpdatedMs = now;
        if (input.ResetLastSyncTime)
        {
            sync.LastSyncTimeMs = null;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique (workspace, name) index turned it away, or something else did.
            if (await NameTakenAsync(workspaceId, sync.Name, sync.Id, ct))
            {
                return (null, new RequestError(ErrorKind.Conflict, "name", $"a sync named \"{sync.Name}\" exists already: choose another name"));
            }

            throw;
        }

        return (await GetAsync(workspaceId, sync.Id, ct), null);
    }

    private async Task<bool> NameTakenAsync(int workspaceId, string name, long exceptId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Syncs.AnyAsync(s => s.WorkspaceId == workspaceId && s.Name == name && s.Id != exceptId, ct);
    }

    public static RequestError? Validate(SyncInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            return Invalid("name", "name is required");
        }

        if (input.Name.Trim().Length > SyncLimits.NameLength)
        {
            return Invalid("name", $"name has {input.Name.Trim().Length} characters; the limit is {SyncLimits.NameLength}");
        }

        if (!Intervals.Contains(input.IntervalMinutes))
        {
            return Invalid("interval", "interval must be \"15m\", \"1h\", \"6h\" or \"24h\"");
        }

        if (input.SegmentName is { } segment && segment.Trim().Length > Limits.SegmentNameBytes)
        {
            return Invalid("segment", $"segment names a manual segment of at most {Limits.SegmentNameBytes} characters");
        }

        return null;
    }

    /// <summary>
    /// The query's rules: the text ones first, then the source describes the query and its columns are checked. Answers
    /// the columns, or the rule broken (field <c>query</c>) or why the source could not be asked (field <c>connection_id</c>).
    /// </summary>
    public async Task<(IReadOnlyList<string>? Columns, RequestError? Error)> CheckQueryAsync(
        int workspaceId, long connectionId, string queryText, IdentifierKind identifier, CancellationToken ct)
    {
        var query = SyncQuery.Parse(queryText, out var problem);
        if (problem is not null)
        {
            return (null, Invalid("query", problem));
        }

        if (await connections.SettingsAsync(workspaceId, connectionId, ct) is not { } settings)
        {
            return (null, new RequestError(ErrorKind.Invalid, "connection_id", $"there is no connection {connectionId} in this workspace"));
        }

        if (connections.ThrottleQuery(workspaceId) is { } throttled)
        {
            return (null, throttled);
        }

        try
        {
            await using var session = await SourceDatabase.For(settings).OpenAsync(ct);
            var columns = await session.DescribeAsync(query, DateTimeOffset.UnixEpoch, ct);
            return SyncColumns.Check(columns, identifier) is { } rule ? (null, Invalid("query", rule)) : (columns, null);
        }
        catch (SyncSourceException failure)
        {
            return (null, SourceError(failure));
        }
    }

    /// <summary>The query's first rows (at most <see cref="SyncLimits.PreviewRows"/>) and each column's mapping, in a read-only transaction.</summary>
    public async Task<(SyncPreview? Preview, RequestError? Error)> PreviewAsync(
        int workspaceId, long connectionId, string queryText, IdentifierKind identifier, DateTimeOffset? lastSyncTime, CancellationToken ct)
    {
        var (columns, error) = await CheckQueryAsync(workspaceId, connectionId, queryText, identifier, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var settings = (await connections.SettingsAsync(workspaceId, connectionId, ct))!;
        try
        {
            await using var session = await SourceDatabase.For(settings).OpenAsync(ct);
            var rows = await session.PreviewAsync(SyncQuery.Parse(queryText, out _), lastSyncTime ?? DateTimeOffset.UnixEpoch, SyncLimits.PreviewRows, ct);
            return (new SyncPreview(rows, SyncColumns.Describe(columns!, identifier)), null);
        }
        catch (SyncSourceException failure)
        {
            return (null, SourceError(failure));
        }
    }

    public async Task<RequestError?> DeleteAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var deleted = await db.Syncs.Where(s => s.WorkspaceId == workspaceId && s.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? NotFound(id) : null;
    }

    /// <summary>Pauses or resumes; a resumed sync whose time has passed runs at the scheduler's next look.</summary>
    public async Task<RequestError?> SetPausedAsync(int workspaceId, long id, bool paused, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var changed = await db.Syncs.Where(s => s.WorkspaceId == workspaceId && s.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Paused, paused).SetProperty(s => s.UpdatedMs, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        return changed == 0 ? NotFound(id) : null;
    }

    /// <summary>Queues a run now; refused with a conflict while a run of the sync is queued or running.</summary>
    public async Task<(long? RunId, RequestError? Error)> RunNowAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Syncs.AnyAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct))
        {
            return (null, NotFound(id));
        }

        var run = new SyncRun { WorkspaceId = workspaceId, SyncId = id, State = SyncRunState.Queued, Manual = true, QueuedMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        db.SyncRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return (run.Id, null);
        }
        catch (DbUpdateException)
        {
            // The one-active-run index: a run of this sync is queued or running.
            return (null, new RequestError(ErrorKind.Conflict, "sync_id", "a run of this sync is going: wait for it to finish"));
        }
    }

    public async Task<SyncRunSummary?> GetRunAsync(int workspaceId, long syncId, long runId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var run = await db.SyncRuns.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.SyncId == syncId && r.Id == runId, ct);
        return run is null ? null : RunSummary(run, await ImportsOfAsync(db, [run], ct));
    }

    /// <summary>A sync's runs, newest first.</summary>
    public async Task<(IReadOnlyList<SyncRunSummary> Runs, int Total)> ListRunsAsync(int workspaceId, long syncId, int skip, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var runs = db.SyncRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId && r.SyncId == syncId);
        var page = await runs.OrderByDescending(r => r.Id).Skip(skip).Take(take).ToListAsync(ct);
        var pageImports = await ImportsOfAsync(db, page, ct);
        return ([.. page.Select(r => RunSummary(r, pageImports))], await runs.CountAsync(ct));
    }

    /// <summary>
    /// A run's errors or warnings as its import's report (<see cref="ImportService.WriteProblemsAsync"/>), the first
    /// <paramref name="limit"/> of them; false (nothing written) when the run has no import.
    /// </summary>
    public async Task<bool> WriteReportAsync(int workspaceId, long syncId, long runId, ImportProblemKind kind, TextWriter writer, CancellationToken ct, int limit = int.MaxValue)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var importId = await db.SyncRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId && r.SyncId == syncId && r.Id == runId)
            .Select(r => r.ImportId).FirstOrDefaultAsync(ct);
        if (importId is not { } id)
        {
            return false;
        }

        await imports.WriteProblemsAsync(id, kind, writer, ct, limit);
        return true;
    }

    /// <summary>The imports of some runs, by id: their counts are the runs' (live while a run goes).</summary>
    private static async Task<Dictionary<long, Import>> ImportsOfAsync(PeopleAdminDbContext db, IEnumerable<SyncRun> runs, CancellationToken ct)
    {
        var ids = runs.Where(r => r.ImportId is not null).Select(r => r.ImportId!.Value).ToList();
        return ids.Count == 0 ? [] : await db.Imports.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
    }

    internal static RequestError SourceError(SyncSourceException failure) =>
        new(ErrorKind.Invalid, failure.Stage == SourceStages.Query ? "query" : "connection_id", $"{failure.Stage}: {failure.Message}");

    private static RequestError Invalid(string field, string message) => new(ErrorKind.Invalid, field, message);

    private static RequestError NotFound(long id) => new(ErrorKind.NotFound, "sync_id", $"there is no sync {id} in this workspace");

    private static SyncSummary Summary(Sync s, string connectionName, SyncRun? lastRun, Dictionary<long, Import> imports) => new(
        s.Id, s.Name, s.ConnectionId, connectionName, s.Query, s.IntervalMinutes, s.Identifier, s.DataToProcess, s.EmptyValues, s.SegmentName, s.Paused,
        s.LastSyncTimeMs is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(s.NextRunMs),
        lastRun is null ? null : RunSummary(lastRun, imports));

    /// <summary>A run as its history shows it: a running run's counts are its import's so far, an ended run's its own.</summary>
    private static SyncRunSummary RunSummary(SyncRun r, Dictionary<long, Import> imports)
    {
        var import = r.ImportId is { } id ? imports.GetValueOrDefault(id) : null;
        var live = r.State == SyncRunState.Running && import is not null;
        return new(
            r.Id, r.SyncId, r.State, r.Manual, DateTimeOffset.FromUnixTimeMilliseconds(r.QueuedMs),
            r.StartedMs is { } started ? DateTimeOffset.FromUnixTimeMilliseconds(started) : null,
            r.FinishedMs is { } finished ? DateTimeOffset.FromUnixTimeMilliseconds(finished) : null,
            live ? import!.RowsCommitted : r.RowsRead,
            live ? import!.RowsCreated : r.RowsCreated,
            live ? import!.RowsUpdated : r.RowsUpdated,
            live ? import!.RowsSkipped : r.RowsSkipped,
            live ? import!.RowsFailed : r.RowsFailed,
            r.Error, r.Warning, r.ImportId, import?.Warnings ?? 0);
    }
}

/// <summary>The rules on the columns a query selects, as the source describes them, and what each column becomes.</summary>
public static class SyncColumns
{
    public static string? Check(IReadOnlyList<string> columns, IdentifierKind identifier)
    {
        var name = Name(identifier);
        if (columns.Count > SyncLimits.MaxColumns)
        {
            return $"query selects {columns.Count} columns; the limit is {SyncLimits.MaxColumns}";
        }

        if (columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"query selects two columns named {twice.Key}: give one of them another name with AS";
        }

        if (columns.Any(c => c.Length == 0 || c == "?column?"))
        {
            return "query selects a column without a name: give every expression a name with AS";
        }

        return columns.Any(c => c.Equals(name, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"query selects no column named {name}, the sync's identifier: add it, or name one that way (select user_id as {name}, …)";
    }

    /// <summary>What each column becomes under the import engine's rules: the identifier, the other identifier, an attribute of its name, or nothing (a reserved key).</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<string> columns, IdentifierKind identifier) =>
        [.. columns.Select(c => Role(c, identifier) switch
        {
            ColumnRole.Identifier => $"{Name(identifier)} (identifier)",
            ColumnRole.OtherIdentifier => Name(identifier == IdentifierKind.Id ? IdentifierKind.Email : IdentifierKind.Id),
            _ when ImportColumns.ByName(c, ImportType.People).Role == Imports.ColumnRole.Ignore => $"ignored ({c} is a reserved key)",
            _ => $"attribute {c}",
        })];

    internal enum ColumnRole : byte
    {
        Identifier,
        OtherIdentifier,
        Attribute,
    }

    internal static ColumnRole Role(string column, IdentifierKind identifier) =>
        column.Equals(Name(identifier), StringComparison.OrdinalIgnoreCase) ? ColumnRole.Identifier
        : column.Equals(Name(identifier == IdentifierKind.Id ? IdentifierKind.Email : IdentifierKind.Id), StringComparison.OrdinalIgnoreCase) ? ColumnRole.OtherIdentifier
        : ColumnRole.Attribute;

    public static string Name(IdentifierKind identifier) => identifier == IdentifierKind.Email ? "email" : "id";
}

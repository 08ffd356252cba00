using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Imports;

/// <summary>A new import: the file and how to read it, who asks, and where the rows come from (<see cref="Import.Source"/>).</summary>
public sealed record ImportRequest(string FileName, ImportOptions Options, string RequestedBy, string? Name = null, string? Description = null, string Source = Sources.Csv);

/// <summary>A file received into the imports folder, not yet an import's.</summary>
public sealed record ReceivedFile(string Path, long Bytes);

/// <summary>The answer to a new import: the import, or why the file or its options cannot be imported (nothing was kept).</summary>
public sealed record ImportCreation(Import? Import, ImportOptionsProblem? Problem, bool TooLarge = false);

/// <summary>A run queued by <see cref="ImportService.QueueRunAsync"/>: its import as recorded, and the import as it ended.</summary>
public sealed record QueuedImport(Import Import, Task<Import> Ended);

/// <summary>The first rows of a file as the engine reads them, with the encoding and delimiter it found.</summary>
public sealed record ImportPreview(string Encoding, char Delimiter, IReadOnlyList<string> Columns, IReadOnlyList<ImportRecord> Rows);

/// <summary>
/// The CSV import engine's front: stores a file in the data folder (streamed, never held whole), detects how it is
/// written, checks its header against the options, records the import and queues it. A background worker runs the
/// <see cref="ImportQueue"/>, one import at a time per workspace (<see cref="RunQueuedAsync"/>): batches of rows through the identity service, each committed
/// with the import's progress, so that a restart resumes where the last batch ended (<see cref="RecoverAsync"/>).
/// Dry runs, start, cancel, progress and the reports of errors and warnings are here for the APIs and the pages.
/// </summary>
public sealed partial class ImportService(
    IDbContextFactory<PeopleAdminDbContext> factory, PeopleService people, TimeProvider clock, ImportsOptions settings, string directory, ImportUrlFetcher? fetcher = null)
{
    private readonly ImportQueue _queue = new(settings.ParallelWorkspaces);

    public ImportQueue Queue => _queue;

    public ImportsOptions Settings => settings;

    public string FileOf(long importId) => Path.Combine(directory, $"import-{importId}.csv");

    /// <summary>Stores <paramref name="content"/> (see <see cref="ReceiveAsync"/>), then checks and queues the import (see <see cref="CreateAsync(int, ReceivedFile?, ImportRequest, CancellationToken)"/>).</summary>
    public async Task<ImportCreation> CreateAsync(int workspaceId, Stream content, ImportRequest request, CancellationToken cancellationToken) =>
        await CreateAsync(workspaceId, await ReceiveAsync(content, cancellationToken), request, cancellationToken);

    /// <summary>
    /// Streams a file into the imports folder, never holding it whole; null (and nothing kept) past
    /// <see cref="ImportsOptions.MaxFileBytes"/>. An upload that never becomes an import is deleted by <see cref="CreateAsync(int, ReceivedFile?, ImportRequest, CancellationToken)"/>.
    /// </summary>
    public async Task<ReceivedFile?> ReceiveAsync(Stream content, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(directory);
        var path = Path.Combine(directory, $"upload-{Guid.NewGuid():n}.csv");
        long total = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > settings.MaxFileBytes)
                {
                    break;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        if (total > settings.MaxFileBytes)
        {
            File.Delete(path);
            return null;
        }

        return new ReceivedFile(path, total);
    }

    /// <summary>
    /// A file <see cref="ReceiveAsync"/> stored that no import has taken yet, by its <see cref="ReceivedName"/> (the
    /// browser's import wizard keeps that name in its URL); null when there is none, or the name is not such a name.
    /// </summary>
    public ReceivedFile? FindReceived(string? name)
    {
        if (!Guid.TryParseExact(name, "n", out var id))
        {
            return null;
        }

        var path = Path.Combine(directory, $"upload-{id:n}.csv");
        return File.Exists(path) ? new ReceivedFile(path, new FileInfo(path).Length) : null;
    }

    /// <summary>The name <see cref="FindReceived"/> finds a received file by.</summary>
    public static string ReceivedName(ReceivedFile file) => Path.GetFileNameWithoutExtension(file.Path)["upload-".Length..];

    /// <summary>How long a received file may wait to become an import before <see cref="SweepAbandonedUploads"/> deletes it.</summary>
    public static readonly TimeSpan UploadsKeptFor = TimeSpan.FromDays(1);

    /// <summary>
    /// Deletes the files <see cref="ReceiveAsync"/> stored that no import took within <see cref="UploadsKeptFor"/> (a
    /// wizard closed before its dry run, an upload cut off); a file still being written is new, so it stays. Answers how many.
    /// </summary>
    public int SweepAbandonedUploads()
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var before = (clock.GetUtcNow() - UploadsKeptFor).UtcDateTime;
        var swept = 0;
        foreach (var upload in new DirectoryInfo(directory).EnumerateFiles("upload-*.csv"))
        {
            if (upload.LastWriteTimeUtc < before)
            {
                upload.Delete();
                swept++;
            }
        }

        return swept;
    }

    /// <summary>
    /// Records the import of a received file, detects how it is written and checks its header against the options,
    /// then queues it. A file over the limit (null) or unusable as a whole (empty, a header and no rows, a column named
    /// twice, no identifier column) answers why, and nothing is kept.
    /// </summary>
    public async Task<ImportCreation> CreateAsync(int workspaceId, ReceivedFile? file, ImportRequest request, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return new ImportCreation(null, new ImportOptionsProblem("file", $"the file is over the limit of {settings.MaxFileBytes:N0} bytes (PeopleAdmin__Imports__MaxFileBytes)"), TooLarge: true);
        }

        if (await ObjectTypeProblemAsync(workspaceId, request.Options, "options.object_type_id", cancellationToken) is { } unknownType)
        {
            File.Delete(file.Path);
            return new ImportCreation(null, unknownType);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.Id == workspaceId, cancellationToken)
            ?? throw new InvalidOperationException($"workspace {workspaceId} does not exist");
        var import = NewImport(workspaceId, request, sourceUrl: null);
        import.FileBytes = file.Bytes;
        db.Imports.Add(import);
        await db.SaveChangesAsync(cancellationToken);

        var path = FileOf(import.Id);
        ImportOptionsProblem? problem = null;
        try
        {
            File.Move(file.Path, path, overwrite: true);
            var format = CsvDetection.Detect(path, request.Options.Encoding, request.Options.Delimiter);
            var options = request.Options with { Encoding = format.Encoding.WebName, Delimiter = format.Delimiter };
            import.OptionsJson = ImportOptionsJson.Write(options);
            problem = CheckFile(path, format, options, workspace.Settings.Identifiers);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            problem = new ImportOptionsProblem("file", $"the file cannot be read: {exception.Message}");
        }
        finally
        {
            if (problem is not null || cancellationToken.IsCancellationRequested)
            {
                File.Delete(file.Path);
                File.Delete(path);
                db.Imports.Remove(import);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        if (problem is not null)
        {
            return new ImportCreation(null, problem);
        }

        import.UpdatedMs = Now();
        await db.SaveChangesAsync(cancellationToken);
        _ = _queue.Enqueue(new ImportRun(workspaceId, import.Id));
        return new ImportCreation(import, null);
    }

    /// <summary>
    /// Records an import of the file at <paramref name="url"/> (the App API's <c>data_file_url</c>) and queues it: the
    /// file is fetched when the import runs. A URL whose host the allow-list does not name answers why, and nothing is kept.
    /// </summary>
    public async Task<ImportCreation> CreateFromUrlAsync(int workspaceId, string url, ImportRequest request, CancellationToken cancellationToken)
    {
        var refused = fetcher is null ? "this server fetches no import files" : ImportUrlFetcher.Refusal(url, settings.AllowedUrlHosts);
        if (refused is not null)
        {
            return new ImportCreation(null, new ImportOptionsProblem("data_file_url", refused));
        }

        if (await ObjectTypeProblemAsync(workspaceId, request.Options, "object_type_id", cancellationToken) is { } unknownType)
        {
            return new ImportCreation(null, unknownType);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var import = NewImport(workspaceId, request with { FileName = url }, url);
        db.Imports.Add(import);
        await db.SaveChangesAsync(cancellationToken);
        _ = _queue.Enqueue(new ImportRun(workspaceId, import.Id));
        return new ImportCreation(import, null);
    }

    /// <summary>
    /// Records a run of rows from a source other than a file (a database sync run) as an import of the workspace, and
    /// queues it behind the workspace's earlier imports. <paramref name="open"/> is called when its turn comes (the run
    /// is waiting until then), and the engine runs the rows as <see cref="RunAsync(long, IImportSource, CancellationToken, IProgress{Import}?)"/>
    /// does, with <paramref name="request"/>'s options (no dry run). <see cref="QueuedImport.Ended"/> completes with the
    /// import as it ended. Such a run is not resumed after a restart: <see cref="RecoverAsync"/> ends it failed.
    /// </summary>
    public async Task<QueuedImport> QueueRunAsync(int workspaceId, ImportRequest request, Func<CancellationToken, Task<IImportSource>> open, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var import = NewImport(workspaceId, request with { Options = request.Options with { DryRun = false } }, sourceUrl: null);
        db.Imports.Add(import);
        await db.SaveChangesAsync(cancellationToken);
        var ended = _queue.Enqueue(new ImportRun(workspaceId, import.Id, open));
        return new QueuedImport(import, EndedAsync(ended, workspaceId, import.Id));
    }

    private async Task<Import> EndedAsync(Task ended, int workspaceId, long importId)
    {
        await ended;
        return (await GetAsync(workspaceId, importId, CancellationToken.None))!;
    }

    /// <summary>Ends an unfinished import failed with <paramref name="reason"/>; the rows it committed stay, and its counts say how many. False when it had ended.</summary>
    public async Task<bool> FailAsync(long importId, string reason, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Imports.Where(i => i.Id == importId && (i.State == ImportState.Preprocessing || i.State == ImportState.Importing))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, ImportState.Failed).SetProperty(i => i.Error, reason)
                .SetProperty(i => i.FinishedMs, now).SetProperty(i => i.UpdatedMs, now), cancellationToken) > 0;
    }

    private Import NewImport(int workspaceId, ImportRequest request, string? sourceUrl)
    {
        var now = Now();
        return new Import
        {
            WorkspaceId = workspaceId,
            State = ImportState.Preprocessing,
            FileName = request.FileName.Length > 2048 ? request.FileName[..2048] : request.FileName,
            SourceUrl = sourceUrl,
            OptionsJson = ImportOptionsJson.Write(request.Options),
            RequestedBy = request.RequestedBy,
            Source = request.Source,
            Name = request.Name,
            Description = request.Description,
            CreatedMs = now,
            UpdatedMs = now,
        };
    }

    /// <summary>The first <paramref name="rows"/> rows of a stored import's file, as the engine reads them.</summary>
    public async Task<ImportPreview?> PreviewAsync(int workspaceId, long importId, int rows, CancellationToken cancellationToken)
    {
        if (await GetAsync(workspaceId, importId, cancellationToken) is not { } import || !File.Exists(FileOf(importId)))
        {
            return null;
        }

        ImportOptionsJson.TryRead(import.OptionsJson, "options.", out var options);
        return Preview(FileOf(importId), options.Encoding, options.Delimiter, rows);
    }

    /// <summary>The first rows of any file, with the encoding and delimiter detected unless given.</summary>
    public static ImportPreview Preview(string path, string? encoding, char? delimiter, int rows)
    {
        var format = CsvDetection.Detect(path, encoding, delimiter);
        using var source = CsvFileSource.Open(path, format);
        return new ImportPreview(format.Encoding.WebName, format.Delimiter, source.Columns, [.. source.ReadRows().Take(Math.Clamp(rows, 0, 1000))]);
    }

    public async Task<Import?> GetAsync(int workspaceId, long importId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Imports.AsNoTracking().SingleOrDefaultAsync(i => i.WorkspaceId == workspaceId && i.Id == importId, cancellationToken);
    }

    public async Task<IReadOnlyList<Import>> ListAsync(int workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Imports.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).OrderByDescending(i => i.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Runs for real an import that a dry run left <see cref="ImportState.Validated"/>: the dry run's counts and problems
    /// give way to the run's. Null when started; otherwise why not.
    /// </summary>
    public async Task<string?> StartAsync(int workspaceId, long importId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var import = await db.Imports.SingleOrDefaultAsync(i => i.WorkspaceId == workspaceId && i.Id == importId, cancellationToken);
        if (import is null)
        {
            return null;
        }

        if (import.State != ImportState.Validated)
        {
            return $"import {importId} is {StateName(import.State)}; only an import a dry run left validated can be started";
        }

        ImportOptionsJson.TryRead(import.OptionsJson, "options.", out var options);
        await db.ImportProblems.Where(p => p.ImportId == importId).ExecuteDeleteAsync(cancellationToken);
        import.OptionsJson = ImportOptionsJson.Write(options with { DryRun = false });
        import.State = ImportState.Importing;
        import.RowsCommitted = import.RowsCreated = import.RowsUpdated = import.RowsSkipped = import.RowsFailed = import.Warnings = 0;
        import.StartedMs = import.FinishedMs = null;
        import.UpdatedMs = Now();
        await db.SaveChangesAsync(cancellationToken);
        _ = _queue.Enqueue(new ImportRun(workspaceId, importId));
        return null;
    }

    /// <summary>Stops an import: a queued one at once, a running one after its current batch (rows committed so far stay). False when it had ended.</summary>
    public async Task<bool> CancelAsync(int workspaceId, long importId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Imports
            .Where(i => i.WorkspaceId == workspaceId && i.Id == importId && (i.State == ImportState.Preprocessing || i.State == ImportState.Importing || i.State == ImportState.Validated))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.CancelRequested, true).SetProperty(i => i.UpdatedMs, Now()), cancellationToken);
        // A dry run's result and an import still waiting for its turn (never started) end at once; a running one after its batch.
        await db.Imports.Where(i => i.Id == importId && (i.State == ImportState.Validated || (i.State == ImportState.Preprocessing && i.StartedMs == null)))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, ImportState.Canceled).SetProperty(i => i.FinishedMs, Now()), cancellationToken);
        return changed > 0;
    }

    /// <summary>
    /// Queues again, in the order they were recorded, the imports a stopped process left unfinished: each resumes after
    /// its last committed batch. A run of another source (<see cref="QueueRunAsync"/>) has no file to read again and ends
    /// failed, its counts saying which rows were applied.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Imports.Where(i => i.State == ImportState.Preprocessing || i.State == ImportState.Importing)
            .OrderBy(i => i.Id).Select(i => new { i.Id, i.WorkspaceId, i.SourceUrl, i.RowsCommitted }).ToListAsync(cancellationToken);
        foreach (var import in unfinished)
        {
            if (import.SourceUrl is null && !File.Exists(FileOf(import.Id)))
            {
                await EndAsync(import.Id, ImportState.Failed, $"the server stopped before the run ended, and its rows come from a source it cannot read again; the first {import.RowsCommitted:N0} rows were applied", cancellationToken);
                continue;
            }

            _ = _queue.Enqueue(new ImportRun(import.WorkspaceId, import.Id));
        }
    }

    /// <summary>Runs a queued run to its end: the import's own file (or URL), or the rows its source opens.</summary>
    public async Task RunQueuedAsync(ImportRun run, CancellationToken cancellationToken)
    {
        if (run.Open is null)
        {
            await RunAsync(run.ImportId, cancellationToken);
            return;
        }

        if (await RunnableAsync(run.ImportId, cancellationToken) is null)
        {
            return;
        }

        IImportSource source;
        try
        {
            source = await run.Open(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await EndAsync(run.ImportId, ImportState.Failed, $"the rows cannot be read: {exception.Message}", CancellationToken.None);
            throw;
        }

        using (source)
        {
            try
            {
                await RunAsync(run.ImportId, source, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await EndAsync(run.ImportId, ImportState.Failed, $"the run failed: {exception.Message}", CancellationToken.None);
                throw;
            }
        }
    }

    /// <summary>Writes an import's errors or warnings as CSV: row, column, value, reason, in row order (the first <paramref name="limit"/> of them when given).</summary>
    public async Task WriteProblemsAsync(long importId, ImportProblemKind kind, TextWriter writer, CancellationToken cancellationToken, int limit = int.MaxValue)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await writer.WriteLineAsync("row,column,value,reason");
        await foreach (var problem in db.ImportProblems.AsNoTracking().Where(p => p.ImportId == importId && p.Kind == kind)
            .OrderBy(p => p.Row).ThenBy(p => p.Id).Take(limit).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(problem.Row.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var cell in new[] { problem.Column, problem.Value, problem.Reason })
            {
                await writer.WriteAsync(',');
                Csv.Write(writer, SpreadsheetSafe(cell));
            }

            await writer.WriteLineAsync();
        }
    }

    /// <summary>
    /// Runs a queued import: counts its rows, then applies them in batches after the ones already committed, until the
    /// file ends, a cancel is asked (<see cref="ImportState.Canceled"/>), or a batch fails as a whole
    /// (<see cref="ImportState.Failed"/>, the counts saying which rows were applied). A dry run ends
    /// <see cref="ImportState.Validated"/>. <paramref name="progress"/> hears after each committed batch.
    /// </summary>
    public async Task RunAsync(long importId, CancellationToken cancellationToken, IProgress<Import>? progress = null)
    {
        if (await RunnableAsync(importId, cancellationToken) is not var (import, _, options) || import.Source != Sources.Csv)
        {
            return;
        }

        try
        {
            if (import.SourceUrl is { } url && !File.Exists(FileOf(importId)))
            {
                if (await FetchAsync(import, url, options, cancellationToken) is not { } fetched)
                {
                    return;
                }

                options = fetched;
            }

            var format = CsvDetection.Detect(FileOf(importId), options.Encoding, options.Delimiter);
            if (import.RowsToImport is null && !options.DryRun)
            {
                using var counting = CsvFileSource.Open(FileOf(importId), format);
                var total = counting.ReadRows().LongCount();
                await UpdateAsync(importId, s => s.SetProperty(i => i.RowsToImport, total), cancellationToken);
            }

            using var source = CsvFileSource.Open(FileOf(importId), format);
            await RunAsync(importId, source, cancellationToken, progress);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await EndAsync(importId, ImportState.Failed, exception.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Runs a recorded import on the rows of any source (a file, a database reader), as <see cref="RunAsync(long, CancellationToken, IProgress{Import}?)"/>
    /// runs a file: the source must give the same rows in the same order when it is run again after a restart.
    /// </summary>
    public Task RunAsync(long importId, IImportSource source, CancellationToken ct, IProgress<Import>? progress = null) =>
        RunRowsAsync(importId, source, settings.BatchRows, ct, progress);

    /// <summary>
    /// Records an import of <paramref name="source"/>'s rows and runs it at once on the caller's task, beside the queue,
    /// in batches of <paramref name="batchRows"/> (the setting's by default): the demo generator's way in, from a command
    /// line where no worker runs. Answers the import as it ended.
    /// </summary>
    public async Task<Import> RunNowAsync(
        int workspaceId, ImportRequest request, IImportSource source, CancellationToken ct, IProgress<Import>? progress = null, int? batchRows = null)
    {
        Import import;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            import = NewImport(workspaceId, request, sourceUrl: null);
            db.Imports.Add(import);
            await db.SaveChangesAsync(ct);
        }

        await RunRowsAsync(import.Id, source, batchRows ?? settings.BatchRows, ct, progress);
        return (await GetAsync(workspaceId, import.Id, ct))!;
    }

    private async Task RunRowsAsync(long importId, IImportSource source, int batchRows, CancellationToken ct, IProgress<Import>? progress)
    {
        if (await RunnableAsync(importId, ct) is not var (import, workspace, options))
        {
            return;
        }

        if ((ImportColumns.TryPlan(source.Columns, options, workspace.Settings.Identifiers, out var columns)
            ?? await ObjectTypeProblemAsync(workspace.Id, options, "options.object_type_id", ct)) is { } problem)
        {
            await EndAsync(import.Id, ImportState.Failed, $"{problem.Field}: {problem.Message}", ct);
            return;
        }

        var segmentId = await SegmentAsync(import, options, ct);
        if (segmentId is { Error: { } segmentError })
        {
            await EndAsync(import.Id, ImportState.Failed, segmentError, ct);
            return;
        }

        var state = options.DryRun ? ImportState.Preprocessing : ImportState.Importing;
        if (!await StartAsync(import.Id, state, ct))
        {
            return;
        }

        var context = new OperationContext(import.WorkspaceId, import.Source, import.RequestedBy);
        var done = import.RowsCommitted;
        var batch = new List<ImportRow>(batchRows);

        // One batch in flight: the next one is read, mapped and checked while the writer applies it (each row's identify is
        // validated and its body taken apart as it is read, not when its batch is submitted, which the writer would wait
        // for). A batch is sent only once the one before is committed, so the committed rows are always the first ones.
        Task<bool>? inFlight = null;
        try
        {
            foreach (var record in source.ReadRows().Skip((int)Math.Min(import.RowsCommitted, int.MaxValue)))
            {
                var row = columns!.Map(record);
                row.Operation?.Prepare();
                batch.Add(row);
                if (batch.Count == batchRows)
                {
                    if (inFlight is not null && !await inFlight)
                    {
                        return;
                    }

                    done += batch.Count;
                    inFlight = ApplyAsync(import.Id, options, batch, done, segmentId?.Id, context, progress, ct);
                    batch = new List<ImportRow>(batchRows);
                }
            }
        }
        catch when (inFlight is not null)
        {
            // The source failed (a database went away): the batch in flight commits or not before the caller records
            // the failure, so that the import's counts are final when it says failed.
            await Task.WhenAny(inFlight);
            throw;
        }

        if (inFlight is not null && !await inFlight)
        {
            return;
        }

        if (batch.Count > 0)
        {
            done += batch.Count;
            if (!await ApplyAsync(import.Id, options, batch, done, segmentId?.Id, context, progress, ct))
            {
                return;
            }
        }

        var finished = done;
        await UpdateAsync(import.Id, s => s.SetProperty(i => i.RowsToImport, finished), ct);
        await EndAsync(import.Id, options.DryRun ? ImportState.Validated : ImportState.Imported, null, ct);
    }

    /// <summary>Fetches an App API import's file into place and checks it as an upload is checked; null when the import ended failed.</summary>
    private async Task<ImportOptions?> FetchAsync(Import import, string url, ImportOptions options, CancellationToken ct)
    {
        ReceivedFile? received;
        try
        {
            using var response = await fetcher!.GetAsync(url, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            received = await ReceiveAsync(body, ct);
        }
        catch (ImportFetchException refused)
        {
            await EndAsync(import.Id, ImportState.Failed, refused.Message, ct);
            return null;
        }

        if (received is null)
        {
            await EndAsync(import.Id, ImportState.Failed, $"the file is over the limit of {settings.MaxFileBytes:N0} bytes (PeopleAdmin__Imports__MaxFileBytes)", ct);
            return null;
        }

        File.Move(received.Path, FileOf(import.Id), overwrite: true);
        var format = CsvDetection.Detect(FileOf(import.Id), options.Encoding, options.Delimiter);
        var detected = options with { Encoding = format.Encoding.WebName, Delimiter = format.Delimiter };
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var mode = (await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == import.WorkspaceId, ct)).Settings.Identifiers;
            if (CheckFile(FileOf(import.Id), format, detected, mode) is { } problem)
            {
                File.Delete(FileOf(import.Id));
                await EndAsync(import.Id, ImportState.Failed, $"{problem.Field}: {problem.Message}", ct);
                return null;
            }
        }

        var json = ImportOptionsJson.Write(detected);
        await UpdateAsync(import.Id, s => s.SetProperty(i => i.OptionsJson, json).SetProperty(i => i.FileBytes, received.Bytes), ct);
        return detected;
    }

    /// <summary>The import, its workspace and options when it is waiting to run; a canceled one ends here, unreadable options fail it.</summary>
    private async Task<(Import, Workspaces.Workspace, ImportOptions)?> RunnableAsync(long importId, CancellationToken ct)
    {
        Import import;
        Workspaces.Workspace? workspace;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            import = await db.Imports.AsNoTracking().SingleAsync(i => i.Id == importId, ct);
            workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.Id == import.WorkspaceId, ct);
        }

        if (import.State is not (ImportState.Preprocessing or ImportState.Importing) || workspace is null)
        {
            return null;
        }

        if (import.CancelRequested)
        {
            await EndAsync(importId, ImportState.Canceled, null, ct);
            return null;
        }

        if (ImportOptionsJson.TryRead(import.OptionsJson, "options.", out var options) is { } unreadable)
        {
            await EndAsync(importId, ImportState.Failed, $"the stored options cannot be read: {unreadable.Field} {unreadable.Message}", ct);
            return null;
        }

        return (import, workspace, options);
    }

    /// <summary>Applies one batch; false when the import ended (canceled, or the batch failed as a whole).</summary>
    private async Task<bool> ApplyAsync(
        long importId, ImportOptions options, List<ImportRow> rows, long through, int? segmentId, OperationContext context, IProgress<Import>? progress, CancellationToken ct)
    {
        var operation = new ImportBatchOperation(importId, options, rows, through, segmentId);
        var result = await people.ExecuteImportBatchAsync(context, operation, ct);
        if (result.Status != OperationStatus.Applied)
        {
            var first = rows[0].Row;
            await EndAsync(importId, ImportState.Failed, $"the batch of rows {first} to {rows[^1].Row} failed and was not applied ({result.Error?.Message}); the rows before row {first} were", ct);
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        progress?.Report(await db.Imports.AsNoTracking().SingleAsync(i => i.Id == importId, ct));
        if (await db.Imports.Where(i => i.Id == importId).Select(i => i.CancelRequested).SingleAsync(ct))
        {
            await EndAsync(importId, ImportState.Canceled, null, ct);
            return false;
        }

        return true;
    }

    private sealed record SegmentChoice(int? Id, string? Error);

    /// <summary>The segment everyone joins: by id (it must exist), or by name (made when missing, except by a dry run).</summary>
    private async Task<SegmentChoice?> SegmentAsync(Import import, ImportOptions options, CancellationToken ct)
    {
        if (options.Segment is not { } wanted)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var segments = db.Segments.AsNoTracking().Where(s => s.WorkspaceId == import.WorkspaceId);
        if (wanted.Id is { } id)
        {
            return await segments.AnyAsync(s => s.Id == id, ct)
                ? new SegmentChoice(id, null)
                : new SegmentChoice(null, $"segment {id} does not exist in workspace {import.WorkspaceId}");
        }

        if (await segments.Where(s => s.Name == wanted.Name).Select(s => (int?)s.Id).FirstOrDefaultAsync(ct) is { } found)
        {
            return new SegmentChoice(found, null);
        }

        if (options.DryRun)
        {
            return new SegmentChoice(null, null);
        }

        var created = await people.ExecuteAsync(
            new OperationContext(import.WorkspaceId, import.Source, import.RequestedBy), new CreateSegmentOperation(wanted.Name!, $"Made by import {import.Id} ({import.FileName})"), ct);
        return created.Status == OperationStatus.Applied
            ? new SegmentChoice((int)created.RecordId!.Value, null)
            : new SegmentChoice(null, $"segment \"{wanted.Name}\" cannot be made: {created.Error?.Message}");
    }

    /// <summary>What makes a stored file unusable as a whole, read from its header and first row only.</summary>
    private static ImportOptionsProblem? CheckFile(string path, CsvFormat format, ImportOptions options, Workspaces.IdentifierMode mode)
    {
        using var source = CsvFileSource.Open(path, format);
        if (ImportColumns.TryPlan(source.Columns, options, mode, out _) is { } problem)
        {
            return problem;
        }

        return source.ReadRows().Any() ? null : new ImportOptionsProblem("file", "the file has a header and no rows");
    }

    private async Task EndAsync(long importId, ImportState state, string? error, CancellationToken ct)
    {
        var now = Now();
        await UpdateAsync(importId, s => s.SetProperty(i => i.State, state).SetProperty(i => i.Error, error).SetProperty(i => i.FinishedMs, now), ct);
    }

    /// <summary>Moves a runnable import to <paramref name="state"/>; false when a cancel ended it since it was read.</summary>
    private async Task<bool> StartAsync(long importId, ImportState state, CancellationToken ct)
    {
        var now = Now();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Imports.Where(i => i.Id == importId && (i.State == ImportState.Preprocessing || i.State == ImportState.Importing))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, state).SetProperty(i => i.StartedMs, i => i.StartedMs ?? now).SetProperty(i => i.UpdatedMs, now), ct) == 1;
    }

    private async Task UpdateAsync(long importId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Import>> set, CancellationToken ct)
    {
        var now = Now();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Imports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => { set(s); s.SetProperty(i => i.UpdatedMs, now); }, ct);
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The contract's name of a state.</summary>
    public static string StateName(ImportState state) => state switch
    {
        ImportState.Preprocessing => "preprocessing",
        ImportState.Validated => "validated",
        ImportState.Importing => "importing",
        ImportState.Imported => "imported",
        ImportState.Failed => "failed",
        _ => "canceled",
    };

    /// <summary>Rows committed per second since the import started (its current run's wall time).</summary>
    public static double RowsPerSecond(Import import) =>
        import.StartedMs is { } started && (import.FinishedMs ?? import.UpdatedMs) - started is > 0 and var elapsed ? import.RowsCommitted * 1000.0 / elapsed : 0;

    /// <summary>A cell a spreadsheet would run as a formula is prefixed with <c>'</c> (values in reports come from uploaded files).</summary>
    private static string SpreadsheetSafe(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
}

using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;

namespace PeopleAdmin.Core.Exports;

/// <summary>What a caller asks to export: who (a filter), which attribute columns, and how to name the identifiers.</summary>
public sealed record ExportRequest(AudienceFilter Filter, IReadOnlyList<string> Attributes, bool WarehouseNames, string RequestedBy);

/// <summary>
/// Exports of people to CSV files in the data folder. <see cref="CreateAsync"/> records the export and queues it;
/// a background worker takes the queue (bounded: a full queue refuses new exports) and calls <see cref="RunAsync"/>,
/// which streams the rows to the file a row at a time, as the UTF-8 bytes the database holds, and records its progress.
/// </summary>
public sealed class ExportService(IDbContextFactory<PeopleAdminDbContext> factory, PeopleService people, TimeProvider clock, string directory)
{
    public const int QueueCapacity = 64;
    public const int MaxAttributes = 100;
    private const int ProgressEvery = 50_000;

    private readonly Channel<long> _queue = Channel.CreateBounded<long>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });

    public ChannelReader<long> Queue => _queue.Reader;

    /// <summary>The file of an export (present once it is done).</summary>
    public string FileOf(long exportId) => Path.Combine(directory, $"export-{exportId}.csv");

    /// <summary>Records the export as pending and queues it; null when the queue is full (the caller says "try later").</summary>
    public async Task<Export?> CreateAsync(int workspaceId, ExportRequest request, CancellationToken cancellationToken)
    {
        if (AudienceFilterRules.Problem(request.Filter) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var export = new Export
        {
            WorkspaceId = workspaceId,
            FilterJson = AudienceFilterJson.Write(request.Filter),
            AttributesJson = JsonSerializer.Serialize(request.Attributes),
            WarehouseNames = request.WarehouseNames,
            Status = ExportStatus.Pending,
            RequestedBy = request.RequestedBy,
            CreatedMs = now,
            UpdatedMs = now,
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Exports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        if (!_queue.Writer.TryWrite(export.Id))
        {
            db.Exports.Remove(export);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        return export;
    }

    public async Task<Export?> GetAsync(int workspaceId, long exportId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Exports.AsNoTracking().SingleOrDefaultAsync(e => e.WorkspaceId == workspaceId && e.Id == exportId, cancellationToken);
    }

    public async Task<IReadOnlyList<Export>> ListAsync(int workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Exports.AsNoTracking().Where(e => e.WorkspaceId == workspaceId).OrderByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Queues again what a stopped process left pending, and fails what it left running (its file is incomplete).
    /// Called once at start, before the worker reads the queue.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.Exports.Where(e => e.Status == ExportStatus.Running).ExecuteUpdateAsync(
            s => s.SetProperty(e => e.Status, ExportStatus.Failed).SetProperty(e => e.Error, "the server stopped while the export ran; start it again").SetProperty(e => e.UpdatedMs, now),
            cancellationToken);
        var pending = await db.Exports.Where(e => e.Status == ExportStatus.Pending).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            if (!_queue.Writer.TryWrite(id))
            {
                await Fail(id, "the export queue was full when the server started; start it again", cancellationToken);
            }
        }
    }

    /// <summary>Writes the export's file: a temporary file renamed into place once complete, so a half file is never served.</summary>
    public async Task RunAsync(long exportId, CancellationToken cancellationToken)
    {
        Export export;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            export = await db.Exports.SingleAsync(e => e.Id == exportId, cancellationToken);
            if (export.Status != ExportStatus.Pending)
            {
                return;
            }
        }

        if (!AudienceFilterJson.TryParse(export.FilterJson, out var filter, out var unreadable))
        {
            await Fail(exportId, $"the stored filter cannot be read: {unreadable!.Field} {unreadable.Message}", cancellationToken);
            return;
        }

        var attributes = JsonSerializer.Deserialize<string[]>(export.AttributesJson) ?? [];
        var path = FileOf(exportId);
        var partial = path + ".partial";
        try
        {
            await Update(exportId, s => s.SetProperty(e => e.Status, ExportStatus.Running), cancellationToken);
            // The count only feeds the progress bar: it runs beside the rows instead of before them.
            var counting = CountAsync(exportId, export.WorkspaceId, filter, cancellationToken);
            Directory.CreateDirectory(directory);
            long written = 0;
            // Synchronous reads and writes: this runs on the worker's own task, and a row costs less than an await.
            await using (var rows = await people.OpenPeopleRowsAsync(export.WorkspaceId, filter, attributes, cancellationToken))
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                using var csv = new Utf8CsvWriter(file);
                WriteHeader(csv, export.WarehouseNames, attributes);
                while (rows.Read())
                {
                    for (var column = 0; column < rows.ColumnCount; column++)
                    {
                        csv.Field(rows.Utf8(column));
                    }

                    csv.EndRow();
                    if (++written % ProgressEvery == 0)
                    {
                        var soFar = written;
                        await Update(exportId, s => s.SetProperty(e => e.Written, soFar), cancellationToken);
                    }
                }

                csv.Flush();
            }

            await counting;
            File.Move(partial, path, overwrite: true);
            await Update(exportId, s => s.SetProperty(e => e.Written, written).SetProperty(e => e.Total, written).SetProperty(e => e.Status, ExportStatus.Done), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            File.Delete(partial);
            await Fail(exportId, exception.Message, CancellationToken.None);
            throw;
        }
    }

    private static void WriteHeader(Utf8CsvWriter csv, bool warehouseNames, IReadOnlyList<string> attributes)
    {
        csv.Field(warehouseNames ? "internal_customer_id" : "cio_id");
        csv.Field(warehouseNames ? "external_customer_id" : "id");
        csv.Field("email");
        foreach (var name in attributes)
        {
            csv.Field(name);
        }

        csv.EndRow();
    }

    private async Task CountAsync(long exportId, int workspaceId, AudienceFilter filter, CancellationToken cancellationToken)
    {
        var total = await people.CountPeopleAsync(workspaceId, filter, cancellationToken);
        await Update(exportId, s => s.SetProperty(e => e.Total, total), cancellationToken);
    }

    private Task Fail(long exportId, string reason, CancellationToken cancellationToken) =>
        Update(exportId, s => s.SetProperty(e => e.Status, ExportStatus.Failed).SetProperty(e => e.Error, reason), cancellationToken);

    private async Task Update(long exportId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Export>> set, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Exports.Where(e => e.Id == exportId).ExecuteUpdateAsync(s => { set(s); s.SetProperty(e => e.UpdatedMs, now); }, cancellationToken);
    }
}

/// <summary>RFC 4180 fields: quoted when they hold a comma, a quote or a line break, quotes doubled.</summary>
public static class Csv
{
    public static void Write(TextWriter writer, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}

using PeopleAdmin.Core.Exports;

namespace PeopleAdmin.Web.Features.Exports;

/// <summary>Runs queued exports one at a time, beside the requests: an export never holds up a page or an API call.</summary>
internal sealed class ExportWorker(ExportService exports, Core.Instances.BackgroundLease lease, ILogger<ExportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only the lease holder resumes what looks unfinished: without the lease, another instance is alive and may be running it.
        if (lease.IsHeld)
        {
            await exports.RecoverAsync(stoppingToken);
        }

        await foreach (var exportId in exports.Queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await exports.RunAsync(exportId, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // RunAsync has recorded the failure on the export; the worker goes on with the next one.
                logger.LogError(exception, "Export {ExportId} failed", exportId);
            }
        }
    }
}

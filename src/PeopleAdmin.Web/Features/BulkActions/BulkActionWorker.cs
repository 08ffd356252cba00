using PeopleAdmin.Core.BulkActions;

namespace PeopleAdmin.Web.Features.BulkActions;

/// <summary>Runs queued bulk actions one at a time, beside the requests, as the export worker runs exports.</summary>
internal sealed class BulkActionWorker(BulkActionService bulk, ILogger<BulkActionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in bulk.Queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await bulk.RunAsync(job, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // RunAsync has recorded the failure on the job and in the audit trail; the worker goes on with the next one.
                logger.LogError(exception, "Bulk action {JobId} failed", job.Id);
            }
        }
    }
}

using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Instances;
using PeopleAdmin.Core.Syncs;

namespace PeopleAdmin.Web.Features.Syncs;

/// <summary>
/// The background side of syncs: on every poll (or when Run now wakes it) it fails runs whose server stopped, queues
/// the syncs that are due, and starts queued runs, up to <see cref="SyncsOptions.MaxConcurrentRuns"/> at once, on the
/// one instance that holds the background lease.
/// </summary>
internal sealed class SyncWorker(SyncScheduler scheduler, SyncRunner runner, BackgroundLease lease, IOptions<SyncsOptions> options, ILogger<SyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        using var slots = new SemaphoreSlim(options.Value.MaxConcurrentRuns);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await lease.WaitUntilHeldAsync(stoppingToken);
                await scheduler.FailStalledAsync(stoppingToken);
                await scheduler.QueueDueAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                while (await slots.WaitAsync(0, stoppingToken))
                {
                    if (await runner.ClaimNextAsync(stoppingToken) is not { } runId)
                    {
                        slots.Release();
                        break;
                    }

                    running.Add(RunAsync(runId, slots, stoppingToken));
                }

                await runner.WaitForWorkAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // A database hiccup must not end the scheduler: what is due stays due, and the next poll tries again.
                logger.LogError(exception, "Scheduling syncs failed; trying again at the next poll");
                await Task.Delay(options.Value.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await Task.WhenAll(running);
    }

    private async Task RunAsync(long runId, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await runner.RunAsync(runId, stoppingToken);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Sync run {RunId} could not be finished", runId);
        }
        finally
        {
            slots.Release();
            // A slot is free: a run queued meanwhile may start now.
            runner.Wake();
        }
    }
}

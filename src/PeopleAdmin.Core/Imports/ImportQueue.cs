using System.Threading.Channels;

namespace PeopleAdmin.Core.Imports;

/// <summary>
/// A recorded import waiting for its turn. <see cref="Open"/> gives the rows of a run whose source is not the import's
/// file (a database sync run, see <see cref="ImportService.QueueRunAsync"/>); null runs the import's own file or URL.
/// </summary>
public sealed record ImportRun(int WorkspaceId, long ImportId, Func<CancellationToken, Task<IImportSource>>? Open = null)
{
    internal TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The imports' queue: one run at a time per workspace, in the order they were queued, while other workspaces' runs go
/// on beside it, up to <see cref="ImportsOptions.ParallelWorkspaces"/> at once. When that many run, the waiting
/// workspace whose next run was queued first goes next. The queue lives in the process: after a restart
/// <see cref="ImportService.RecoverAsync"/> queues again what was unfinished, in the order it was recorded.
/// </summary>
public sealed class ImportQueue(int parallelWorkspaces)
{
    private readonly Channel<ImportRun> _arrivals = Channel.CreateUnbounded<ImportRun>(new UnboundedChannelOptions { SingleReader = true });
    private long _arrived;

    /// <summary>Queues a run; the task ends when the run has ended (whatever its outcome) or the queue stops.</summary>
    public Task Enqueue(ImportRun run)
    {
        _arrivals.Writer.TryWrite(run);
        return run.Ended.Task;
    }

    /// <summary>Takes the next queued run without running it (a test that runs imports in the foreground).</summary>
    public bool TryDequeue(out ImportRun run) => _arrivals.Reader.TryRead(out run!);

    /// <summary>
    /// Runs the queue until <paramref name="stoppingToken"/> is canceled: <paramref name="run"/> for each queued run,
    /// <paramref name="failed"/> when one throws (the run has recorded its failure; the queue goes on).
    /// </summary>
    public async Task RunAsync(Func<ImportRun, CancellationToken, Task> run, Action<ImportRun, Exception> failed, CancellationToken stoppingToken)
    {
        var waiting = new Dictionary<int, Queue<(long Order, ImportRun Run)>>();
        var running = new Dictionary<Task, (int WorkspaceId, ImportRun Run)>();
        Task<bool>? arrival = null;
        try
        {
            while (true)
            {
                while (running.Count < parallelWorkspaces && NextWorkspace(waiting, running.Values) is { } workspaceId)
                {
                    var next = waiting[workspaceId].Dequeue().Run;
                    if (waiting[workspaceId].Count == 0)
                    {
                        waiting.Remove(workspaceId);
                    }

                    running.Add(RunOneAsync(next, run, failed, stoppingToken), (workspaceId, next));
                }

                arrival ??= _arrivals.Reader.WaitToReadAsync(stoppingToken).AsTask();
                var first = await Task.WhenAny(running.Keys.Append(arrival));
                if (first == arrival)
                {
                    await arrival;
                    arrival = null;
                    while (_arrivals.Reader.TryRead(out var queued))
                    {
                        if (!waiting.TryGetValue(queued.WorkspaceId, out var line))
                        {
                            waiting[queued.WorkspaceId] = line = new Queue<(long, ImportRun)>();
                        }

                        line.Enqueue((++_arrived, queued));
                    }
                }
                else
                {
                    running[first].Run.Ended.TrySetResult();
                    running.Remove(first);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(running.Keys);
            foreach (var stopped in running.Values.Select(r => r.Run).Concat(waiting.Values.SelectMany(line => line.Select(w => w.Run))))
            {
                stopped.Ended.TrySetCanceled(stoppingToken);
            }
        }
    }

    private static int? NextWorkspace(Dictionary<int, Queue<(long Order, ImportRun Run)>> waiting, IEnumerable<(int WorkspaceId, ImportRun Run)> running)
    {
        var busy = running.Select(r => r.WorkspaceId).ToHashSet();
        return waiting.Where(w => !busy.Contains(w.Key)).OrderBy(w => w.Value.Peek().Order).Select(w => (int?)w.Key).FirstOrDefault();
    }

    private static async Task RunOneAsync(ImportRun queued, Func<ImportRun, CancellationToken, Task> run, Action<ImportRun, Exception> failed, CancellationToken ct)
    {
        // Off the dispatcher's thread at once: a run reads its source synchronously.
        await Task.Yield();
        try
        {
            await run(queued, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            failed(queued, exception);
        }
    }
}

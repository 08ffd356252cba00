using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Store;

namespace PeopleAdmin.Core.People.Writing;

/// <summary>Bounds of the write pipeline, from <c>PeopleAdmin:Writer</c>.</summary>
public sealed class WriterOptions
{
    public const string Section = "PeopleAdmin:Writer";

    /// <summary>Submissions waiting for the writer before callers wait to enqueue (back-pressure).</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Operations the writer applies in one transaction at most.</summary>
    public int MaxOperationsPerTransaction { get; set; } = 512;

    /// <summary>The input (attributes, event data) held for the writer at once, estimated in bytes; callers wait beyond it.</summary>
    public long QueueBytes { get; set; } = 64L * 1024 * 1024;
}

/// <summary>
/// The single writer of the people store: callers enqueue operations and wait for their own commit; one loop
/// takes what is queued, applies it in one transaction (so that one failure fails alone, a batch with a failing
/// operation runs again with a savepoint per operation: see <see cref="ApplyAsync"/>), commits, and only then answers
/// the callers. A bounded queue gives back-pressure.
/// </summary>
internal sealed class WriteQueue : IAsyncDisposable
{
    private const string OperationSavepoint = "operation";

    private readonly Channel<Submission> _channel;
    private readonly TimeProvider _clock;
    private readonly ILogger<WriteQueue> _logger;
    private readonly int _maxOperations;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly CommittedWorkspaces _workspaces = new();
    private readonly IWriterStore _store;
    private readonly WriteAdmission _admission;
    private IWriterConnection? _connection;

    public WriteQueue(IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider clock, WriterOptions options, ILogger<WriteQueue> logger)
        : this(WriterStores.For(factory, logger), clock, options, logger)
    {
    }

    public WriteQueue(IWriterStore store, TimeProvider clock, WriterOptions options, ILogger<WriteQueue> logger)
    {
        _store = store;
        _clock = clock;
        _logger = logger;
        _maxOperations = Math.Max(1, options.MaxOperationsPerTransaction);
        _channel = Channel.CreateBounded<Submission>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _admission = new WriteAdmission(Math.Max(1, options.QueueBytes));
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Applies the operations in order, as if one after another, and answers once they are committed.</summary>
    public async Task<IReadOnlyList<OperationResult>> SubmitAsync(
        OperationContext context, IReadOnlyList<PeopleOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0)
        {
            return [];
        }

        var bytes = 0L;
        foreach (var operation in operations)
        {
            operation.Prepare();
            bytes += operation.EstimatedBytes;
        }

        await _admission.EnterAsync(bytes, cancellationToken);
        try
        {
            var submission = new Submission(context, operations, cancellationToken);
            await _channel.Writer.WriteAsync(submission, cancellationToken);
            return await submission.Completion.Task;
        }
        finally
        {
            _admission.Leave(bytes);
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Submission>();
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                // Callers just answered are enqueuing their next operations: let them, so that this transaction
                // takes them too (fewer, larger commits; about half again as many operations per transaction with 64 callers).
                await Task.Yield();
                var operations = 0;
                // A submission that keeps its own references has a transaction of its own: it is taken alone.
                while (operations < _maxOperations && reader.TryPeek(out var next) && !(next.KeepsItsOwnReferences && batch.Count > 0)
                    && reader.TryRead(out var submission))
                {
                    if (submission.CancellationToken.IsCancellationRequested)
                    {
                        submission.Completion.TrySetCanceled(submission.CancellationToken);
                        continue;
                    }

                    batch.Add(submission);
                    operations += submission.Operations.Count;
                    if (submission.KeepsItsOwnReferences)
                    {
                        break;
                    }
                }

                if (batch.Count > 0)
                {
                    await ApplyAsync(batch);
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: what is still queued is answered below.
        }

        while (reader.TryRead(out var left))
        {
            left.Completion.TrySetException(new ObjectDisposedException(nameof(WriteQueue), "The writer stopped before applying this operation."));
        }
    }

    /// <summary>
    /// Applies a batch in one transaction and answers its callers. The first attempt runs the operations without
    /// savepoints (a savepoint per operation cost about a quarter of a creating identify); when an operation fails, or
    /// is rejected after it wrote something, that attempt is rolled back and the batch runs again with a savepoint per
    /// operation, so that the operation fails alone.
    /// </summary>
    private async Task ApplyAsync(List<Submission> batch)
    {
        List<OperationResult[]> results;
        try
        {
            results = await ApplyInTransactionAsync(batch, savepoints: false) ?? (await ApplyInTransactionAsync(batch, savepoints: true))!;
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "The writer's transaction of {Count} submissions failed", batch.Count);
            // Whatever state the failure left the connection and the workspaces in, the next transaction starts anew.
            _workspaces.Forget();
            CloseWriterConnection();
            foreach (var submission in batch)
            {
                submission.Completion.TrySetException(exception);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    /// <summary>
    /// One transaction over the batch, committed; null when, without savepoints, an operation failed or was rejected
    /// after writing (the transaction is then rolled back). A submission that keeps its own references, always alone in
    /// its batch, runs with the database's foreign-key checks off (<see cref="PeopleOperation.KeepsItsOwnReferences"/>).
    /// </summary>
    private async Task<List<OperationResult[]>?> ApplyInTransactionAsync(List<Submission> batch, bool savepoints)
    {
        var connection = await UseWriterConnectionAsync();
        var suspended = batch is [{ KeepsItsOwnReferences: true }] && connection.SuspendReferenceChecks();
        try
        {
            return await ApplyInTransactionAsync(connection, batch, savepoints);
        }
        finally
        {
            if (suspended)
            {
                ResumeReferenceChecks(connection);
            }
        }
    }

    /// <summary>Turns the checks on again; a connection that cannot is closed, and the next transaction opens another (with them on).</summary>
    private void ResumeReferenceChecks(IWriterConnection connection)
    {
        try
        {
            connection.ResumeReferenceChecks();
        }
        catch (Exception exception)
        {
            _logger.LogWarning(exception, "The writer could not turn the foreign-key checks on again; it opens a new connection");
            _workspaces.Forget();
            CloseWriterConnection();
        }
    }

    private async Task<List<OperationResult[]>?> ApplyInTransactionAsync(IWriterConnection connection, List<Submission> batch, bool savepoints)
    {
        var results = new List<OperationResult[]>(batch.Count);
        await using var transaction = await connection.Db.Database.BeginTransactionAsync(_stopping.Token);
        if (!connection.OnlyWriter)
        {
            await connection.LockWorkspacesAsync([.. batch.Select(s => s.Context.WorkspaceId).Distinct().Order()], _stopping.Token);
        }

        var session = new WriteSession(connection, _workspaces, _clock);
        foreach (var submission in batch)
        {
            var submissionResults = new OperationResult[submission.Operations.Count];
            session.Context = submission.Context;
            for (var i = 0; i < submission.Operations.Count; i++)
            {
                var operation = submission.Operations[i];
                if (savepoints)
                {
                    connection.Savepoint(OperationSavepoint);
                }

                var rowsBefore = connection.RowsWritten;
                OperationResult result;
                try
                {
                    result = await operation.ApplyAsync(session, _stopping.Token);
                    await session.SaveAsync(_stopping.Token);
                    if (savepoints)
                    {
                        connection.SendHeldWrites();
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    if (!savepoints)
                    {
                        return await StartOverAsync(transaction);
                    }

                    _logger.LogError(exception, "Operation {Operation} failed in workspace {WorkspaceId}", operation.GetType().Name, submission.Context.WorkspaceId);
                    result = OperationResult.Rejected(ErrorKind.Failed, "", "The operation failed unexpectedly and changed nothing.");
                }

                if (result.Status == OperationStatus.Rejected)
                {
                    // Nothing of a rejected operation may stay half-applied.
                    if (savepoints)
                    {
                        connection.RollbackToSavepoint(OperationSavepoint);
                    }
                    else if (connection.RowsWritten != rowsBefore)
                    {
                        return await StartOverAsync(transaction);
                    }

                    session.Reset();
                }
                else
                {
                    if (savepoints)
                    {
                        connection.ReleaseSavepoint(OperationSavepoint);
                    }

                    session.Saved();
                }

                submissionResults[i] = result;
            }

            results.Add(submissionResults);
        }

        if (!savepoints)
        {
            try
            {
                connection.SendHeldWrites();
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                return await StartOverAsync(transaction);
            }
        }

        await transaction.CommitAsync(_stopping.Token);
        _store.Committed();
        session.Committed();
        return results;
    }

    private async Task<List<OperationResult[]>?> StartOverAsync(IDbContextTransaction transaction)
    {
        await transaction.RollbackAsync(_stopping.Token);
        _workspaces.Forget();
        return null;
    }

    /// <summary>
    /// The writer's connection, opened on first use and kept, with its context and prepared statements, for as long
    /// as the writer's transactions succeed. Each transaction starts with an empty change tracker: a context made anew
    /// for each one cost the writer about 3% of its time under load.
    /// </summary>
    private async Task<IWriterConnection> UseWriterConnectionAsync()
    {
        if (_connection is { IsOpen: false })
        {
            CloseWriterConnection();
        }

        if (_connection is { } kept)
        {
            kept.Db.ChangeTracker.Clear();
            return kept;
        }

        return _connection = await _store.OpenAsync(_stopping.Token);
    }

    private void CloseWriterConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>Stops taking operations, lets the writer finish what is queued (for a few seconds at most), then stops it.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
            await _loop;
        }
        finally
        {
            CloseWriterConnection();
            _store.Dispose();
            _admission.Dispose();
            _stopping.Dispose();
        }
    }

    private sealed class Submission(OperationContext context, IReadOnlyList<PeopleOperation> operations, CancellationToken cancellationToken)
    {
        public OperationContext Context { get; } = context;

        public IReadOnlyList<PeopleOperation> Operations { get; } = operations;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public bool KeepsItsOwnReferences { get; } = operations.All(o => o.KeepsItsOwnReferences);

        public TaskCompletionSource<IReadOnlyList<OperationResult>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

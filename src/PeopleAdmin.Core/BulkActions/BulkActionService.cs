using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;

namespace PeopleAdmin.Core.BulkActions;

/// <summary>
/// Who a bulk action is for: the people selected by cio_id, or everyone a filter matches when the action starts.
/// Exactly one of the two is set.
/// </summary>
public sealed record BulkActionTarget
{
    private BulkActionTarget(IReadOnlyList<string>? cioIds, AudienceFilter? filter) => (CioIds, Filter) = (cioIds, filter);

    public IReadOnlyList<string>? CioIds { get; }

    public AudienceFilter? Filter { get; }

    public static BulkActionTarget Selection(IReadOnlyList<string> cioIds) => new(cioIds, null);

    public static BulkActionTarget Matching(AudienceFilter filter) => new(null, filter);
}

/// <summary>
/// A bulk action as asked: what to do, to whom, and in words for the audit trail and the progress list
/// (<paramref name="Description"/>: "the 3 selected people", "everyone who matches this filter").
/// </summary>
public sealed record BulkActionRequest(BulkActionKind Kind, BulkActionTarget Target, string Description, string RequestedBy, int? SegmentId = null, string? SegmentName = null)
{
    /// <summary>The action in words: "Delete", "Add to segment \"VIP\"".</summary>
    public string Verb => Kind switch
    {
        BulkActionKind.Delete => "Delete",
        BulkActionKind.Suppress => "Suppress",
        BulkActionKind.AddToSegment => $"Add to segment \"{SegmentName}\"",
        _ => $"Remove from segment \"{SegmentName}\"",
    };

    /// <summary>What happened to each person the action changed: "deleted", "added".</summary>
    public string Done => Kind switch
    {
        BulkActionKind.Delete => "deleted",
        BulkActionKind.Suppress => "suppressed",
        BulkActionKind.AddToSegment => "added",
        _ => "removed",
    };
}

public enum BulkActionState
{
    Waiting,
    Running,
    Done,
    Failed,
}

/// <summary>How far a bulk action got: people changed, people skipped by reason (with a few examples), and an error when it stopped.</summary>
public sealed record BulkActionProgress(
    BulkActionState State,
    int? Total,
    int Processed,
    int Changed,
    IReadOnlyDictionary<string, int> SkippedByReason,
    IReadOnlyList<SkippedPerson> Examples,
    string? Error,
    DateTimeOffset? Finished)
{
    public int Skipped => SkippedByReason.Values.Sum();

    /// <summary>What happened, in one sentence: "1,230 of 1,234 people deleted; 4 skipped: 3 no longer match the filter, 1 …".</summary>
    public string Summary(string done = "changed")
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Changed:N0} of {Total ?? Processed:N0} {(Total == 1 ? "person" : "people")} {done}");
        if (Skipped > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; {Skipped:N0} skipped: ")
                + string.Join(", ", SkippedByReason.OrderByDescending(r => r.Value).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value:N0} {r.Key}")));
        }

        return Error is null ? text : text + $". Stopped: {Error}";
    }
}

/// <summary>One bulk action: the request and its progress, which the worker replaces as it goes (pages read it at any time).</summary>
public sealed class BulkActionJob(long id, int workspaceId, BulkActionRequest request, DateTimeOffset created)
{
    private BulkActionProgress _progress = new(BulkActionState.Waiting, request.Target.CioIds?.Count, 0, 0, new Dictionary<string, int>(), [], null, null);

    public long Id { get; } = id;

    public int WorkspaceId { get; } = workspaceId;

    public BulkActionRequest Request { get; } = request;

    public DateTimeOffset Created { get; } = created;

    public BulkActionProgress Progress
    {
        get => Volatile.Read(ref _progress);
        internal set => Volatile.Write(ref _progress, value);
    }
}

/// <summary>
/// Bulk actions on people (delete, suppress, add to or remove from a manual segment), run one at a time by a background
/// worker, a batch of <see cref="BatchSize"/> people per <see cref="PeopleService.ExecuteBatchAsync"/> call.
/// </summary>
/// <remarks>
/// Who is acted on: the people selected, or those the filter matches when the action starts (read once, in key order);
/// nobody who comes to match later. Each person is then changed only if, in the transaction that changes them, they
/// still exist and still match the filter (<see cref="BulkPeopleOperation"/>); the others are skipped with the reason.
/// Jobs live in this process: the list shows those since it started, and the audit trail keeps every one.
/// </remarks>
public sealed class BulkActionService(PeopleService people, AuditTrail audit, TimeProvider clock, int batchSize = BulkActionService.DefaultBatchSize)
{
    public const int DefaultBatchSize = 500;
    public const int QueueCapacity = 16;
    private const int ExamplesKept = 20;
    private const int JobsKept = 50;

    private readonly Channel<BulkActionJob> _queue = Channel.CreateBounded<BulkActionJob>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly ConcurrentDictionary<long, BulkActionJob> _jobs = new();
    private long _lastId;

    public int BatchSize { get; } = batchSize is >= 1 and <= BulkPeopleOperation.MaxPeople ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize));

    public ChannelReader<BulkActionJob> Queue => _queue.Reader;

    /// <summary>Queues the action and records it in the audit trail; null when <see cref="QueueCapacity"/> actions already wait.</summary>
    public async Task<BulkActionJob?> StartAsync(int workspaceId, BulkActionRequest request, CancellationToken cancellationToken)
    {
        if (request.Target.Filter is { } filter && AudienceFilterRules.Problem(filter) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        if (request.Kind is BulkActionKind.AddToSegment or BulkActionKind.RemoveFromSegment && request.SegmentId is null)
        {
            throw new ArgumentException("A segment action names the segment.", nameof(request));
        }

        var job = new BulkActionJob(Interlocked.Increment(ref _lastId), workspaceId, request, clock.GetUtcNow());
        if (!_queue.Writer.TryWrite(job))
        {
            return null;
        }

        _jobs[job.Id] = job;
        foreach (var old in _jobs.Keys.Order().SkipLast(JobsKept))
        {
            _jobs.TryRemove(old, out _);
        }

        await audit.RecordAsync(AuditActions.PeopleBulkAction, request.RequestedBy, $"workspace {workspaceId}: #{job.Id} {request.Verb}, {request.Description}: started", null, cancellationToken);
        return job;
    }

    /// <summary>The workspace's bulk actions since this process started, newest first.</summary>
    public IReadOnlyList<BulkActionJob> Recent(int workspaceId, int limit) =>
        [.. _jobs.Values.Where(j => j.WorkspaceId == workspaceId).OrderByDescending(j => j.Id).Take(limit)];

    public BulkActionJob? Find(int workspaceId, long id) => _jobs.TryGetValue(id, out var job) && job.WorkspaceId == workspaceId ? job : null;

    /// <summary>Runs a queued action to its end, then records its summary in the audit trail.</summary>
    public async Task RunAsync(BulkActionJob job, CancellationToken cancellationToken)
    {
        var request = job.Request;
        var tally = new Tally();
        job.Progress = tally.Progress(BulkActionState.Running, request.Target.CioIds?.Count);
        try
        {
            var cioIds = request.Target.CioIds ?? await SnapshotAsync(job.WorkspaceId, request.Target.Filter!, cancellationToken);
            job.Progress = tally.Progress(BulkActionState.Running, cioIds.Count);
            var context = new OperationContext(job.WorkspaceId, Sources.Ui, request.RequestedBy);
            foreach (var batch in cioIds.Chunk(BatchSize))
            {
                var result = (await people.ExecuteBatchAsync(context, [Operation(request, batch)], cancellationToken))[0];
                if (result.Error is { Kind: ErrorKind.Failed } && batch.Length > 1)
                {
                    // One person's failure rolled the batch back: again one by one, so that only theirs fails.
                    var alone = await people.ExecuteBatchAsync(context, [.. batch.Select(cioId => Operation(request, [cioId]))], cancellationToken);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        tally.Add([batch[i]], alone[i]);
                    }
                }
                else if (result.Status == OperationStatus.Rejected)
                {
                    job.Progress = tally.Progress(BulkActionState.Failed, cioIds.Count, result.Error!.Message, clock.GetUtcNow());
                    break;
                }
                else
                {
                    tally.Add(batch, result);
                }

                job.Progress = tally.Progress(BulkActionState.Running, cioIds.Count);
            }

            if (job.Progress.State == BulkActionState.Running)
            {
                job.Progress = tally.Progress(BulkActionState.Done, cioIds.Count, finished: clock.GetUtcNow());
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            job.Progress = tally.Progress(BulkActionState.Failed, job.Progress.Total, exception.Message, clock.GetUtcNow());
            throw;
        }
        finally
        {
            if (job.Progress.Finished is null)
            {
                job.Progress = job.Progress with { State = BulkActionState.Failed, Finished = clock.GetUtcNow(), Error = job.Progress.Error ?? "the server stopped" };
            }

            await audit.RecordAsync(
                AuditActions.PeopleBulkAction, request.RequestedBy, $"workspace {job.WorkspaceId}: #{job.Id} {request.Verb}, {request.Description}: {job.Progress.Summary(request.Done)}", null, CancellationToken.None);
        }
    }

    private static BulkPeopleOperation Operation(BulkActionRequest request, IReadOnlyList<string> cioIds) =>
        new(request.Kind, cioIds, request.SegmentId, request.Target.Filter);

    private async Task<List<string>> SnapshotAsync(int workspaceId, AudienceFilter filter, CancellationToken cancellationToken)
    {
        var cioIds = new List<string>();
        await using var rows = await people.OpenPeopleRowsAsync(workspaceId, filter, [], cancellationToken);
        while (rows.Read())
        {
            cioIds.Add(System.Text.Encoding.UTF8.GetString(rows.Utf8(0)));
        }

        return cioIds;
    }

    /// <summary>The counts a job builds up; only the worker touches it, pages see the immutable progress it makes.</summary>
    private sealed class Tally
    {
        private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
        private readonly List<SkippedPerson> _examples = [];
        private int _processed;
        private int _changed;

        public void Add(string[] batch, OperationResult result)
        {
            _processed += batch.Length;
            var skipped = result.Status == OperationStatus.Applied
                ? result.Skipped
                : [.. batch.Select(cioId => new SkippedPerson(cioId, result.Error?.Message ?? result.IgnoredReason ?? "nothing changed"))];
            _changed += batch.Length - skipped.Count;
            foreach (var person in skipped)
            {
                _skipped[person.Reason] = _skipped.GetValueOrDefault(person.Reason) + 1;
                if (_examples.Count < ExamplesKept)
                {
                    _examples.Add(person);
                }
            }
        }

        public BulkActionProgress Progress(BulkActionState state, int? total, string? error = null, DateTimeOffset? finished = null) =>
            new(state, total, _processed, _changed, new Dictionary<string, int>(_skipped), [.. _examples], error, finished);
    }
}

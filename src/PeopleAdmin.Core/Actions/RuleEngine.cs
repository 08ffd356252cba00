using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.Instances;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Actions;

/// <summary>
/// Runs the rules after the events that trigger them are committed: the identity service tells it what it committed
/// (<see cref="Committed"/>, on the caller's path, so it only looks at a cached table of the workspace's triggers and
/// queues what matches), and a hosted service drains the bounded queue (<see cref="RunAsync"/>). A rule's run never
/// blocks or fails its event: it is a write of its own, through the identity service, with source <c>action</c>.
/// </summary>
public sealed class RuleEngine
{
    /// <summary>How long a workspace's triggers are trusted before they are read again: a safety net, since every instance is told of a change at once.</summary>
    public static readonly TimeSpan TriggersLifetime = TimeSpan.FromSeconds(30);

    public const int QueueCapacity = 10_000;

    private readonly Channel<RuleJob> _queue = Channel.CreateBounded<RuleJob>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly ConcurrentDictionary<int, Triggers> _triggers = new();
    private readonly IDbContextFactory<PeopleAdminDbContext> _factory;
    private readonly TimeProvider _clock;
    private readonly ILogger<RuleEngine> _logger;
    private readonly IInstanceSignals _signals;
    private PeopleService? _people;

    internal RuleEngine(IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider clock, ILogger<RuleEngine> logger, IInstanceSignals? signals = null)
    {
        _factory = factory;
        _clock = clock;
        _logger = logger;
        _signals = signals ?? new InProcessSignals();
        _signals.Subscribe(InstanceTopics.Rules, Forget);
    }

    /// <summary>Raised after a run is kept in its rule's history (on the runner's thread): a page showing the history refreshes.</summary>
    public event Action<ActionRuleRun>? RunRecorded;

    /// <summary>The identity service the runs write through (it also tells this engine what it committed).</summary>
    internal void Attach(PeopleService people) => _people = people;

    /// <summary>
    /// Called once operations are committed: queues the applied events that a rule of the workspace may want. An event
    /// no rule names costs a type test and a dictionary lookup; a workspace whose triggers are not cached queues its
    /// events for the runner, which reads the triggers and drops what nothing wants.
    /// </summary>
    internal void Committed(OperationContext context, IReadOnlyList<PeopleOperation> operations, IReadOnlyList<OperationResult> results)
    {
        Triggers? triggers = null;
        for (var i = 0; i < operations.Count; i++)
        {
            if (results[i].Status != OperationStatus.Applied || EventOf(operations[i]) is not { } name)
            {
                continue;
            }

            triggers ??= ForCommitted(context.WorkspaceId);
            if (triggers is not null && !triggers.Wants(name, context.Source))
            {
                continue;
            }

            var job = new RuleJob(context.WorkspaceId, context.Source, name, results[i].CioId, DataOf(operations[i]), RuleId: null, Webhook: null);
            if (!_queue.Writer.TryWrite(job))
            {
                _logger.LogWarning("The rules' queue is full ({Capacity} runs): event {Event} of workspace {WorkspaceId} runs no rule", QueueCapacity, name, context.WorkspaceId);
            }
        }
    }

    /// <summary>Queues a webhook rule's run; false when the queue is full (the caller answers "try later").</summary>
    public bool EnqueueWebhook(int workspaceId, long ruleId, JsonNode body) =>
        _queue.Writer.TryWrite(new RuleJob(workspaceId, Sources.Api, null, null, null, ruleId, body));

    /// <summary>Tells every instance to forget a workspace's cached triggers after its rules changed (call after the commit).</summary>
    public Task InvalidateAsync(int workspaceId, CancellationToken ct) =>
        _signals.SendAsync(InstanceTopics.Rules, workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);

    private void Forget(string? workspaceId)
    {
        if (int.TryParse(workspaceId, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            _triggers.TryRemove(id, out _);
        }
        else
        {
            _triggers.Clear();
        }
    }

    /// <summary>The runner's loop: one run at a time, each failure recorded, never thrown.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(stopping))
        {
            try
            {
                await RunJobAsync(job, stopping);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                _logger.LogError(exception, "A rule's run in workspace {WorkspaceId} failed", job.WorkspaceId);
            }
        }
    }

    /// <summary>Runs waiting in the queue.</summary>
    internal int Pending => _queue.Reader.Count;

    /// <summary>Runs everything queued so far (tests use it instead of waiting for the hosted service).</summary>
    internal async Task DrainAsync(CancellationToken ct)
    {
        while (_queue.Reader.TryRead(out var job))
        {
            await RunJobAsync(job, ct);
        }
    }

    private async Task RunJobAsync(RuleJob job, CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        List<ActionRule> rules;
        if (job.RuleId is { } ruleId)
        {
            rules = await db.ActionRules.AsNoTracking().Where(r => r.Id == ruleId && r.WorkspaceId == job.WorkspaceId && r.Enabled).ToListAsync(ct);
        }
        else
        {
            var triggers = Fresh(job.WorkspaceId) ?? await LoadAsync(db, job.WorkspaceId, ct);
            var ids = triggers.Matching(job.EventName!, job.Source);
            rules = ids.Count == 0 ? [] : await db.ActionRules.AsNoTracking().Where(r => ids.Contains(r.Id) && r.Enabled).OrderBy(r => r.Id).ToListAsync(ct);
        }

        foreach (var rule in rules)
        {
            var run = await RuleRun.ExecuteAsync(_people!, rule, job, ct);
            run.AtMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            db.ActionRuleRuns.Add(run);
            await db.SaveChangesAsync(ct);
            var oldest = await db.ActionRuleRuns.Where(r => r.RuleId == rule.Id).OrderByDescending(r => r.Id)
                .Skip(RuleRunHistory.Kept).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
            if (oldest is { } cutoff)
            {
                await db.ActionRuleRuns.Where(r => r.RuleId == rule.Id && r.Id <= cutoff).ExecuteDeleteAsync(ct);
            }

            RunRecorded?.Invoke(run);
        }
    }

    /// <summary>
    /// The triggers the caller's path filters with: null (queue the event, the runner reads them) when none are cached,
    /// and once when they are stale; until the runner's read replaces them, the stale ones still filter.
    /// </summary>
    private Triggers? ForCommitted(int workspaceId)
    {
        if (!_triggers.TryGetValue(workspaceId, out var triggers))
        {
            return null;
        }

        return _clock.GetUtcNow() - triggers.LoadedAt < TriggersLifetime || Interlocked.Exchange(ref triggers.ReloadRequested, 1) == 1 ? triggers : null;
    }

    private Triggers? Fresh(int workspaceId) =>
        _triggers.TryGetValue(workspaceId, out var triggers) && _clock.GetUtcNow() - triggers.LoadedAt < TriggersLifetime ? triggers : null;

    private async Task<Triggers> LoadAsync(PeopleAdminDbContext db, int workspaceId, CancellationToken ct)
    {
        var rows = await db.ActionRules.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Enabled && r.EventName != null)
            .Select(r => new { r.Id, r.EventName, r.Sources })
            .ToListAsync(ct);
        var triggers = new Triggers(
            _clock.GetUtcNow(),
            rows.GroupBy(r => r.EventName!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(r => (r.Id, (IReadOnlyList<string>)r.Sources)).ToList(), StringComparer.Ordinal));
        _triggers[workspaceId] = triggers;
        return triggers;
    }

    /// <summary>The name of the event an applied operation added, when it adds one a rule can name.</summary>
    private static string? EventOf(PeopleOperation operation) => operation switch
    {
        TrackEventOperation e => e.Event.Name.Trim(),
        TrackAnonymousEventOperation e => e.Event.Name.Trim(),
        SubmitFormOperation => FormRules.EventName,
        _ => null,
    };

    private static JsonNode? DataOf(PeopleOperation operation) => operation switch
    {
        TrackEventOperation { Event.Data: { ValueKind: JsonValueKind.Object } data } => JsonNode.Parse(data.GetRawText()),
        TrackAnonymousEventOperation { Event.Data: { ValueKind: JsonValueKind.Object } data } => JsonNode.Parse(data.GetRawText()),
        SubmitFormOperation form => FormData(form),
        _ => null,
    };

    /// <summary>A form submission's event data as a rule sees it: the form's id and the submitted fields (the last of a repeated name).</summary>
    private static JsonObject FormData(SubmitFormOperation form)
    {
        var data = new JsonObject { ["form_id"] = form.FormId };
        foreach (var (name, value) in form.Fields)
        {
            data[name] = value;
        }

        return data;
    }

    /// <summary>A workspace's event rules by event name, with the sources each takes.</summary>
    private sealed class Triggers(DateTimeOffset loadedAt, Dictionary<string, List<(long Id, IReadOnlyList<string> Sources)>> byEvent)
    {
        public DateTimeOffset LoadedAt { get; } = loadedAt;

        /// <summary>1 once an event was queued to have the runner read stale triggers again.</summary>
        public int ReloadRequested;

        public bool Wants(string eventName, string source) =>
            byEvent.TryGetValue(eventName, out var rules) && rules.Exists(r => r.Sources.Contains(source));

        public List<long> Matching(string eventName, string source) =>
            byEvent.TryGetValue(eventName, out var rules) ? [.. rules.Where(r => r.Sources.Contains(source)).Select(r => r.Id)] : [];
    }
}

/// <summary>What a run works from: an event (its name, source, person and data) or a webhook call (its rule and body).</summary>
internal sealed record RuleJob(int WorkspaceId, string Source, string? EventName, string? CioId, JsonNode? EventData, long? RuleId, JsonNode? Webhook);

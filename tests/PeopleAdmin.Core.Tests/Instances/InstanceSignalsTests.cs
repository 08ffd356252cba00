using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Instances;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Store.Postgres;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Instances;

/// <summary>Signals between two instances on one PostgreSQL database, through LISTEN/NOTIFY.</summary>
[BothStores]
public sealed class InstanceSignalsTests : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _listeners = [];
    private TestDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_listeners);
        _stopping.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task<(PostgresSignals First, PostgresSignals Second)> TwoInstancesAsync()
    {
        Assert.SkipWhen(TestStores.Current != TestStore.Postgres, "SQLite has one instance, whose signals stay in process.");
        _database = await TestDatabase.CreateAsync(Ct);
        var first = new PostgresSignals(_database.Factory, NullLogger<PostgresSignals>.Instance);
        var second = new PostgresSignals(_database.Factory, NullLogger<PostgresSignals>.Instance);
        _listeners.Add(first.ListenAsync(_stopping.Token));
        _listeners.Add(second.ListenAsync(_stopping.Token));
        await Task.WhenAll(first.Listening, second.Listening).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return (first, second);
    }

    [Fact]
    public async Task ASignalSentOnOneInstanceReachesTheOthersHandlersWithItsKeyAndTheSendersOnce()
    {
        var (first, second) = await TwoInstancesAsync();
        var heardFirst = new ConcurrentQueue<string?>();
        var heardSecond = new ConcurrentQueue<string?>();
        var firstHeardReply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Subscribe(InstanceTopics.Workspaces, key =>
        {
            heardFirst.Enqueue(key);
            if (key == "7")
            {
                firstHeardReply.TrySetResult();
            }
        });
        second.Subscribe(InstanceTopics.Workspaces, key =>
        {
            heardSecond.Enqueue(key);
            secondHeard.TrySetResult();
        });

        await first.SendAsync(InstanceTopics.Workspaces, "42", Ct);
        await secondHeard.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        // PostgreSQL delivers in commit order: once the reply arrives, the first's own notification of 42 has too.
        await second.SendAsync(InstanceTopics.Workspaces, "7", Ct);
        await firstHeardReply.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        heardFirst.ShouldBe(["42", "7"]);
        heardSecond.ShouldBe(["42", "7"]);
    }

    [Fact]
    public async Task ARuleCreatedOnOneInstanceRunsForTheOthersNextEvent()
    {
        var (first, second) = await TwoInstancesAsync();
        var clock = new ManualClock();
        var workspaceId = await _database!.AddWorkspaceAsync(Ct);
        await using var writer = new WriteQueue(_database.Factory, clock, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var engine = new RuleEngine(_database.Factory, clock, NullLogger<RuleEngine>.Instance, first);
        var people = new PeopleService(writer, _database.Factory, clock, engine);
        var otherRules = new RulesService(_database.Factory, new RuleEngine(_database.Factory, clock, NullLogger<RuleEngine>.Instance, second), clock);
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Subscribe(InstanceTopics.Rules, _ => told.TrySetResult());
        // The first instance reads the workspace's triggers (none yet) and keeps them.
        await TrackAsync(people, engine, workspaceId, "upgraded");

        var (rule, error) = await otherRules.CreateAsync(workspaceId, new RuleDefinition("on upgraded", "upgraded", null, null, null, new Dictionary<string, string> { ["plan"] = "pro" }), Ct);
        await told.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await TrackAsync(people, engine, workspaceId, "upgraded");

        error.ShouldBeNull();
        (await otherRules.RunsAsync(workspaceId, rule!.Id, Ct)).ShouldHaveSingleItem();
    }

    private static async Task TrackAsync(PeopleService people, RuleEngine engine, int workspaceId, string name)
    {
        var reference = PersonReference.Classify("ada", Workspaces.IdentifierMode.EmailOrId);
        var result = await people.ExecuteAsync(new OperationContext(workspaceId, Sources.Api),
            new TrackEventOperation(reference, new EventInput(name, EventInput.EventType, JsonDocument.Parse("{}").RootElement, null, null)), Ct);
        result.Status.ShouldBe(OperationStatus.Applied);
        await engine.DrainAsync(Ct);
    }
}

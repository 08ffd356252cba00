using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// What the rules add to the identity service's path once an operation is committed: an event no rule names, and an
/// identify, against a workspace whose triggers are cached (one rule, on another event).
/// </summary>
public class RuleTriggerBenchmarks
{
    private static readonly OperationResult Applied = new(OperationStatus.Applied) { CioId = "1" };

    private BenchDatabase _db = null!;
    private RuleEngine _engine = null!;
    private PeopleOperation[] _event = null!;
    private PeopleOperation[] _identify = null!;
    private OperationResult[] _results = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _db = await BenchDatabase.CreateAsync();
        _engine = new RuleEngine(_db.Factory, TimeProvider.System, NullLogger<RuleEngine>.Instance);
        await new RulesService(_db.Factory, _engine, TimeProvider.System).CreateAsync(_db.WorkspaceId,
            new RuleDefinition("plan", "upgraded", null, null, null, new Dictionary<string, string> { ["plan"] = "{{ event.data.plan }}" }), CancellationToken.None);
        _event = [new TrackEventOperation(PersonReference.ForId("u1"), new EventInput("viewed", EventInput.EventType, null, null, null))];
        _identify = [BenchDatabase.Identify("u1")];
        _results = [Applied];

        // The first event of the workspace has the runner read its triggers.
        _engine.Committed(_db.Context, _event, _results);
        await _engine.DrainAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _db.DisposeAsync().AsTask();

    [Benchmark]
    public int EventNoRuleNames()
    {
        _engine.Committed(_db.Context, _event, _results);
        return _engine.Pending;
    }

    [Benchmark]
    public int Identify()
    {
        _engine.Committed(_db.Context, _identify, _results);
        return _engine.Pending;
    }
}

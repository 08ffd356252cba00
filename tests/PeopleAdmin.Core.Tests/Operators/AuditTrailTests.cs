using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Operators;

[BothStores]
public sealed class AuditTrailTests : IAsyncLifetime
{
    private static readonly DateTimeOffset FirstDay = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private SettableClock _clock = null!;
    private AuditTrail _audit = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Ct);
        _clock = new SettableClock { Now = FirstDay };
        _audit = new AuditTrail(_database.Factory, _clock);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task EntriesAreFilteredByOperatorKindAndDaysBothInclusive()
    {
        await RecordAsync(0, AuditActions.SignedIn, "ann@example.test");
        await RecordAsync(1, AuditActions.WorkspaceCreated, "ann@example.test");
        await RecordAsync(1, AuditActions.WorkspaceCreated, "bob@example.test");
        await RecordAsync(2, AuditActions.WorkspaceRenamed, "ann@example.test");
        await RecordAsync(3, AuditActions.WorkspaceDeleted, "ann@example.test");

        var found = await _audit.SearchAsync(
            new AuditQuery("ann@example.test", "Workspaces", DateOnly.FromDateTime(FirstDay.AddDays(1).UtcDateTime), DateOnly.FromDateTime(FirstDay.AddDays(2).UtcDateTime)),
            0, 50, Ct);

        found.Total.ShouldBe(2);
        found.Entries.Select(e => e.Action).ShouldBe([AuditActions.WorkspaceRenamed, AuditActions.WorkspaceCreated]);
    }

    [Fact]
    public async Task PagesAreNewestFirstWithTheTotalOfAllMatches()
    {
        for (var i = 0; i < 7; i++)
        {
            await RecordAsync(i, AuditActions.SignedIn, $"operator{i}@example.test");
        }

        var second = await _audit.SearchAsync(new AuditQuery(), 3, 3, Ct);

        second.Total.ShouldBe(7);
        second.Entries.Select(e => e.Actor).ShouldBe(["operator3@example.test", "operator2@example.test", "operator1@example.test"]);
    }

    [Fact]
    public async Task AnUnknownKindFiltersNothingAndTheExportStreamsEveryMatch()
    {
        await RecordAsync(0, AuditActions.SignedIn, "ann@example.test");
        await RecordAsync(0, AuditActions.TokenCreated, "ann@example.test");

        var streamed = new List<AuditEntry>();
        await foreach (var entry in _audit.StreamAsync(new AuditQuery(Kind: "Tokens"), Ct))
        {
            streamed.Add(entry);
        }

        (await _audit.SearchAsync(new AuditQuery(Kind: "no such kind"), 0, 10, Ct)).Total.ShouldBe(2);
        streamed.ShouldHaveSingleItem().Action.ShouldBe(AuditActions.TokenCreated);
    }

    [Fact]
    public async Task TheLastSignInIsTheLatestSuccessfulOne()
    {
        await RecordAsync(0, AuditActions.SignedIn, "ann@example.test");
        await RecordAsync(2, AuditActions.SignedIn, "ann@example.test");
        await RecordAsync(3, AuditActions.SignInFailed, "ann@example.test");

        var last = await _audit.LastSignInsAsync(["ann@example.test", "bob@example.test"], Ct);

        last.ShouldHaveSingleItem().Value.ShouldBe(FirstDay.AddDays(2).UtcDateTime);
    }

    [Fact]
    public void EveryActionBelongsToExactlyOneKind()
    {
        var actions = typeof(AuditActions).GetFields().Select(f => (string)f.GetValue(null)!).ToList();

        var kinds = AuditKinds.All.Values.SelectMany(a => a).ToList();

        kinds.ShouldBe(actions, ignoreOrder: true);
    }

    private async Task RecordAsync(int day, string action, string actor)
    {
        _clock.Now = FirstDay.AddDays(day);
        await _audit.RecordAsync(action, actor, null, "192.0.2.1", Ct);
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Instances;

/// <summary>
/// Two writers on one PostgreSQL database, as two app instances have: each transaction takes its workspaces' rows
/// first, so the writers take turns on a workspace and each starts from what the other committed.
/// </summary>
[BothStores]
public sealed class TwoWritersTests : IAsyncDisposable
{
    private PeopleHarness? _harness;
    private WriteQueue? _otherWriter;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_otherWriter is not null)
        {
            await _otherWriter.DisposeAsync();
        }

        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    /// <summary>The harness's identity service, and a second one with a writer of its own on the same database.</summary>
    private async Task<(PeopleHarness Harness, PeopleService Other)> TwoInstancesAsync()
    {
        Assert.SkipWhen(TestStores.Current != TestStore.Postgres, "A SQLite file has one writer: the instance whose data folder holds it.");
        _harness = await PeopleHarness.CreateAsync(Ct);
        _otherWriter = new WriteQueue(_harness.Database.Factory, _harness.Clock, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var other = new PeopleService(_otherWriter, _harness.Database.Factory, _harness.Clock, new RuleEngine(_harness.Database.Factory, _harness.Clock, NullLogger<RuleEngine>.Instance));
        return (_harness, other);
    }

    [Fact]
    public async Task SettingsChangedThroughOneWriterApplyToTheOthersNextTransaction()
    {
        var (harness, other) = await TwoInstancesAsync();
        (await harness.IdentifyAsync("ada", "{}", Ct)).Status.ShouldBe(OperationStatus.Applied);

        var changed = await other.ExecuteAsync(harness.Context(), new ChangeSettingsOperation(new SettingsPatch { BlockedIdentifierValues = ["blocked-one"] }), Ct);
        var blocked = await harness.IdentifyAsync("blocked-one", "{}", Ct);

        changed.Status.ShouldBe(OperationStatus.Applied);
        blocked.Status.ShouldBe(OperationStatus.Rejected);
    }

    [Fact]
    public async Task NewPeopleCreatedThroughTwoWritersAtOnceGetDistinctCioIds()
    {
        var (harness, other) = await TwoInstancesAsync();
        const int each = 64;

        var results = await Task.WhenAll(Enumerable.Range(0, each).SelectMany(i => new[]
        {
            harness.Service.ExecuteAsync(harness.Context(), new IdentifyOperation(harness.Reference($"first-{i}"), PeopleHarness.Body("{}")), Ct),
            other.ExecuteAsync(harness.Context(), new IdentifyOperation(harness.Reference($"second-{i}"), PeopleHarness.Body("{}")), Ct),
        }));

        results.ShouldAllBe(r => r.Status == OperationStatus.Applied && r.Created);
        await using var db = await harness.Database.Factory.CreateDbContextAsync(Ct);
        (await db.People.CountAsync(Ct)).ShouldBe(2 * each);
        (await db.People.Select(p => p.CioId).Distinct().CountAsync(Ct)).ShouldBe(2 * each);
    }
}

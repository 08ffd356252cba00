using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Instances;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Instances;

/// <summary>The background lease: one row, taken and renewed by one conditional update, on both stores.</summary>
[BothStores]
public sealed class BackgroundLeaseTests : IAsyncDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private readonly ManualClock _clock = new();
    private TestDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task<(BackgroundLease First, BackgroundLease Second)> TwoInstancesAsync()
    {
        _database = await TestDatabase.CreateAsync(Ct);
        var options = Options.Create(new LeaseOptions { Duration = Duration });
        return (new BackgroundLease(_database.Factory, options, _clock), new BackgroundLease(_database.Factory, options, _clock));
    }

    [Fact]
    public async Task OfTwoInstancesOnlyTheFirstTakesTheLeaseAndItRenewsIt()
    {
        var (first, second) = await TwoInstancesAsync();

        var firstTook = await first.TryTakeAsync(Ct);
        var secondTook = await second.TryTakeAsync(Ct);
        _clock.Advance(Duration / 3);
        var firstRenewed = await first.TryTakeAsync(Ct);
        _clock.Advance(Duration / 3 * 2);
        var secondAfterRenewal = await second.TryTakeAsync(Ct);

        (firstTook, secondTook, firstRenewed, secondAfterRenewal).ShouldBe((true, false, true, false));
        first.IsHeld.ShouldBeTrue();
        second.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task ALeaseItsHolderStoppedRenewingIsTakenOverOnceItExpires()
    {
        var (first, second) = await TwoInstancesAsync();
        await first.TryTakeAsync(Ct);
        _clock.Advance(Duration - TimeSpan.FromMilliseconds(1));
        var beforeExpiry = await second.TryTakeAsync(Ct);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var atExpiry = await second.TryTakeAsync(Ct);
        var formerHolder = await first.TryTakeAsync(Ct);

        (beforeExpiry, atExpiry, formerHolder).ShouldBe((false, true, false));
        first.IsHeld.ShouldBeFalse();
        await second.WaitUntilHeldAsync(Ct);
        await using var db = await _database!.Factory.CreateDbContextAsync(Ct);
        (await db.Leases.AsNoTracking().SingleAsync(Ct)).Holder.ShouldBe(second.Holder);
    }

    [Fact]
    public async Task AReleasedLeaseIsTakenAtOnceAndItsFormerHolderWaits()
    {
        var (first, second) = await TwoInstancesAsync();
        await first.TryTakeAsync(Ct);

        await first.ReleaseAsync(Ct);
        var took = await second.TryTakeAsync(Ct);

        took.ShouldBeTrue();
        first.IsHeld.ShouldBeFalse();
        first.WaitUntilHeldAsync(Ct).IsCompleted.ShouldBeFalse();
    }
}

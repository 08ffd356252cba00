using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Tests.Servers;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Syncs;

/// <summary>Runs against the real PostgreSQL and MariaDB servers, through the identity service.</summary>
[BothStores]
public sealed class SyncRunTests(SyncSources sources)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<SyncSourceKind> Kinds => [SyncSourceKind.Postgres, SyncSourceKind.MySql];

    private static string Timestamp(SyncSourceKind kind) => kind == SyncSourceKind.Postgres ? "timestamptz" : "timestamp(3)";

    private static string Series(SyncSourceKind kind, int count) => kind == SyncSourceKind.Postgres
        ? $"select g from generate_series(1, {count}) g"
        : $"select seq as g from seq_1_to_{count}";

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AFullSyncImportsEveryRowAsPeopleWithSourceSync(SyncSourceKind kind)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        await sources.ExecuteAsync(kind, $"create table {h.Table} (user_id varchar(20), email varchar(100), plan varchar(20), seats int, active boolean)");
        await sources.ExecuteAsync(kind, $"insert into {h.Table} select concat('u', g), concat('u', g, '@example.com'), 'pro', g, true from ({Series(kind, 2500)}) n");
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(kind, Ct), $"select user_id as id, email, plan, seats, active from {h.Table}", Ct);

        var run = await h.RunAsync(syncId, Ct);

        run.State.ShouldBe(SyncRunState.Succeeded, run.Error);
        (run.RowsRead, run.RowsCreated, run.RowsUpdated, run.RowsSkipped, run.RowsFailed).ShouldBe((2500, 2500, 0, 0, 0));
        (await h.PeopleCountAsync(Ct)).ShouldBe(2500);
        var person = await h.People.Service.GetPersonAsync(h.WorkspaceId, PersonReference.ForId("u1234"), Ct);
        person!.Email.ShouldBe("u1234@example.com");
        person.Attributes.Select(a => (a.Name, a.Type, a.Value)).OrderBy(a => a.Name).ShouldBe(
            [("active", AttributeType.Boolean, "true"), ("plan", AttributeType.String, "pro"), ("seats", AttributeType.Number, "1234")]);
        var activity = await h.People.Service.GetActivityAsync(new ActivityQuery(h.WorkspaceId, person.CioId, null, 10, null), Ct);
        activity.Items.ShouldAllBe(e => e.Source == Sources.Sync);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AnIncrementalSyncReadsOnlyTheRowsChangedSinceTheLastSuccessfulRun(SyncSourceKind kind)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        await sources.ExecuteAsync(kind, $"create table {h.Table} (id varchar(20), plan varchar(20), updated_at {Timestamp(kind)})");
        await sources.ExecuteAsync(kind, $"insert into {h.Table} values ('a', 'free', '2025-12-31 10:00:00'), ('b', 'free', '2025-12-31 11:00:00'), ('c', 'free', '2025-12-31 12:00:00')");
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(kind, Ct), $"select id, plan from {h.Table} where updated_at > {{{{last_sync_time}}}}", Ct);
        var first = await h.RunAsync(syncId, Ct);
        // The harness's clock starts at 2026-01-01 00:00 UTC; the first run started a minute after.
        await sources.ExecuteAsync(kind, $"update {h.Table} set plan = 'pro', updated_at = '2026-01-01 00:30:00' where id = 'b'");
        h.People.Clock.Advance(TimeSpan.FromHours(1));

        var second = await h.RunAsync(syncId, Ct);

        (first.RowsRead, first.RowsCreated).ShouldBe((3, 3));
        second.State.ShouldBe(SyncRunState.Succeeded, second.Error);
        (second.RowsRead, second.RowsCreated, second.RowsUpdated).ShouldBe((1, 0, 1));
        (await h.AttributesAsync("b", Ct))["plan"].ShouldBe("pro");
        (await h.Syncs.GetAsync(h.WorkspaceId, syncId, Ct))!.LastSyncTime.ShouldBe(second.Started);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AValueThatLooksLikeSqlIsStoredAsTextAndRunsNowhere(SyncSourceKind kind)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        const string attack = "x'); drop table people; delete from people; --";
        await sources.ExecuteAsync(kind, $"create table {h.Table} (id varchar(100), note varchar(100))");
        await sources.ExecuteAsync(kind, $"insert into {h.Table} values ('{attack.Replace("'", "''", StringComparison.Ordinal)}', '{{{{last_sync_time}}}} or 1=1'), ('plain', 'x')");
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(kind, Ct),
            $"select id, note from {h.Table} where {{{{last_sync_time}}}} is not null", Ct);

        var run = await h.RunAsync(syncId, Ct);
        var again = await h.RunAsync(syncId, Ct);

        run.State.ShouldBe(SyncRunState.Succeeded, run.Error);
        (run.RowsCreated, again.RowsRead).ShouldBe((2, 2));
        (await h.AttributesAsync(attack, Ct))["note"].ShouldBe("{{last_sync_time}} or 1=1");
        (await h.PeopleCountAsync(Ct)).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ASourceThatGoesAwayMidRunFailsTheRunWithTheReasonAndKeepsTheLastSyncTime(SyncSourceKind kind)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        // The rows come slowly after the first chunk, wide enough that the server sends each few at once; the comment
        // names this test's sessions, so that only they are cut off.
        var slow = kind == SyncSourceKind.Postgres
            ? $"select /* {h.Table} */ g::text as id, repeat('x', 1000) as pad, case when g > 1500 then pg_sleep(0.05)::text end as pause from generate_series(1, 4000) g"
            : $"select /* {h.Table} */ concat('', g) as id, repeat('x', 1000) as pad, case when g > 1500 then sleep(0.05) end as pause from ({Series(kind, 4000)}) n";
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(kind, Ct), slow, Ct);
        h.People.Clock.Advance(TimeSpan.FromMinutes(1));
        var (runId, _) = await h.Syncs.RunNowAsync(h.WorkspaceId, syncId, Ct);
        await h.Runner.ClaimNextAsync(Ct);
        var running = h.Runner.RunAsync(runId!.Value, Ct);
        await WaitForAsync(async () => (await h.Syncs.GetRunAsync(h.WorkspaceId, syncId, runId.Value, Ct))!.RowsCreated >= 1000);

        (await sources.DropSyncSessionsAsync(kind, h.Table)).ShouldBeGreaterThan(0);
        await running;

        var run = (await h.Syncs.GetRunAsync(h.WorkspaceId, syncId, runId.Value, Ct))!;
        run.State.ShouldBe(SyncRunState.Failed);
        run.Error.ShouldStartWith("connection_lost: ");
        run.RowsCreated.ShouldBeGreaterThanOrEqualTo(1000);
        run.RowsRead.ShouldBeLessThan(4000);
        (await h.Syncs.GetAsync(h.WorkspaceId, syncId, Ct))!.LastSyncTime.ShouldBeNull();
    }

    [Fact]
    public async Task ARunDueWhileThePreviousOneIsStillGoingIsSkippedAndRecorded()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var connection = await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct);
        var (sync, _) = await h.Syncs.SaveAsync(h.WorkspaceId, null,
            new SyncInput("Slow", connection, "select 'a' as id, pg_sleep(1)::text as pause", 15, IdentifierKind.Id, SyncDataToProcess.All, SyncEmptyValues.Ignore, null, Paused: false), Ct);
        (await h.Scheduler.QueueDueAsync(Ct)).ShouldBe(1);
        var runId = (await h.Runner.ClaimNextAsync(Ct))!.Value;
        var running = h.Runner.RunAsync(runId, Ct);
        h.People.Clock.Advance(TimeSpan.FromMinutes(15));

        var queued = await h.Scheduler.QueueDueAsync(Ct);
        await running;

        queued.ShouldBe(0);
        var (runs, total) = await h.Syncs.ListRunsAsync(h.WorkspaceId, sync!.Id, 0, 10, Ct);
        total.ShouldBe(2);
        runs[0].State.ShouldBe(SyncRunState.Skipped);
        runs[0].Error.ShouldBe("skipped: the previous run was still going when this one was due");
        runs[1].State.ShouldBe(SyncRunState.Succeeded, runs[1].Error);
        (await h.Syncs.GetAsync(h.WorkspaceId, sync.Id, Ct))!.NextRun.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task RunNowIsRefusedWhileARunIsQueued()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct), "select 'a' as id", Ct);
        await h.Syncs.RunNowAsync(h.WorkspaceId, syncId, Ct);

        var (runId, error) = await h.Syncs.RunNowAsync(h.WorkspaceId, syncId, Ct);

        runId.ShouldBeNull();
        error!.Kind.ShouldBe(ErrorKind.Conflict);
        error.Message.ShouldBe("a run of this sync is going: wait for it to finish");
    }

    [Fact]
    public async Task APausedSyncIsNotQueuedAndResumingQueuesItAtItsTime()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct), "select 'a' as id", Ct);

        var whilePaused = await h.Scheduler.QueueDueAsync(Ct);
        await h.Syncs.SetPausedAsync(h.WorkspaceId, syncId, paused: false, Ct);
        var resumed = await h.Scheduler.QueueDueAsync(Ct);

        (whilePaused, resumed).ShouldBe((0, 1));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OnlyExistingUpdatesPeopleWhoExistAndSkipsTheRest(SyncSourceKind kind)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        await h.People.IdentifyAsync("known", """{"plan": "free"}""", Ct);
        await sources.ExecuteAsync(kind, $"create table {h.Table} (id varchar(20), plan varchar(20))");
        await sources.ExecuteAsync(kind, $"insert into {h.Table} values ('known', 'pro'), ('stranger', 'pro')");
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(kind, Ct), $"select id, plan from {h.Table}", Ct, data: SyncDataToProcess.OnlyExisting);

        var run = await h.RunAsync(syncId, Ct);

        (run.RowsCreated, run.RowsUpdated, run.RowsSkipped).ShouldBe((0, 1, 1));
        (await h.AttributesAsync("known", Ct))["plan"].ShouldBe("pro");
        (await h.PeopleCountAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task OnlyNewCreatesPeopleAndLeavesThoseWhoExist()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        await h.People.IdentifyAsync("known", """{"plan": "free"}""", Ct);
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"create table {h.Table} (id text, plan text)");
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"insert into {h.Table} values ('known', 'pro'), ('stranger', 'pro')");
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct), $"select id, plan from {h.Table}", Ct, data: SyncDataToProcess.OnlyNew);

        var run = await h.RunAsync(syncId, Ct);

        (run.RowsCreated, run.RowsUpdated, run.RowsSkipped).ShouldBe((1, 0, 1));
        (await h.AttributesAsync("known", Ct))["plan"].ShouldBe("free");
    }

    [Theory]
    [InlineData(SyncEmptyValues.Ignore, "free")]
    [InlineData(SyncEmptyValues.Remove, null)]
    public async Task ANullValueLeavesOrRemovesTheAttributeAsTheSyncSays(SyncEmptyValues empty, string? plan)
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        await h.People.IdentifyAsync("known", """{"plan": "free"}""", Ct);
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"create table {h.Table} (id text, plan text)");
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"insert into {h.Table} values ('known', null)");
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct), $"select id, plan from {h.Table}", Ct, empty: empty);

        await h.RunAsync(syncId, Ct);

        (await h.AttributesAsync("known", Ct)).GetValueOrDefault("plan").ShouldBe(plan);
    }

    [Fact]
    public async Task EveryoneSyncedJoinsTheSyncsSegment()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct), "select 'a' as id union all select 'b'", Ct, segment: "From the warehouse");

        await h.RunAsync(syncId, Ct);

        var segment = (await h.People.Service.ListSegmentsAsync(h.WorkspaceId, Ct)).Single();
        (segment.Name, segment.Members).ShouldBe(("From the warehouse", 2));
    }

    [Fact]
    public async Task ARowWithoutItsIdentifierFailsAloneAndIsInTheErrorsReport()
    {
        await using var h = await SyncHarness.CreateAsync(sources, Ct);
        var syncId = await h.AddSyncAsync(await h.AddConnectionAsync(SyncSourceKind.Postgres, Ct), "select 'a' as id union all select null union all select 'c'", Ct);

        var run = await h.RunAsync(syncId, Ct);

        run.State.ShouldBe(SyncRunState.Succeeded);
        (run.RowsCreated, run.RowsFailed).ShouldBe((2, 1));
        (await h.Syncs.ErrorsReportAsync(h.WorkspaceId, syncId, run.Id, Ct)).ShouldBe("row,identifier,reason\n2,,the id column is empty\n");
    }

    /// <summary>Waits for a state of a run that goes on beside the test (not a retry of an assertion).</summary>
    private static async Task WaitForAsync(Func<Task<bool>> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await reached())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the run did not get there within a minute");
            await Task.Delay(50, Ct);
        }
    }
}

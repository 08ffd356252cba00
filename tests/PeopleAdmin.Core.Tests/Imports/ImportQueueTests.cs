using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>The imports' queue: one run at a time per workspace, in order; other workspaces beside it; runs of other sources behind a workspace's imports.</summary>
public sealed class ImportQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWorkspacesNextRunWaitsForTheOneBeforeItWhileAnotherWorkspacesRunGoesOnBeside()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        var other = await harness.People.Database.AddWorkspaceAsync(Ct);
        var release = new TaskCompletionSource();
        var firstOpened = new TaskCompletionSource();
        var secondOpened = new TaskCompletionSource<ImportState>();
        await using var queue = QueueRunning(harness);
        var first = await RunOfAsync(harness, harness.People.WorkspaceId, "first", async ct =>
        {
            firstOpened.SetResult();
            await release.Task.WaitAsync(ct);
        });
        var second = await RunOfAsync(harness, harness.People.WorkspaceId, "second", async ct => secondOpened.SetResult(await StateAsync(harness, first.Import.Id, ct)));
        var beside = await RunOfAsync(harness, other, "beside", _ => Task.CompletedTask);

        await firstOpened.Task.WaitAsync(Ct);
        var besideEnded = await beside.Ended.WaitAsync(Ct);
        var secondWhileFirstRuns = await StateAsync(harness, second.Import.Id, Ct);
        var secondOpenedWhileFirstRuns = secondOpened.Task.IsCompleted;
        release.SetResult();
        var secondEnded = await second.Ended.WaitAsync(Ct);

        ImportHarness.Counts(besideEnded).ShouldBe("imported: 1 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 1 of 1");
        secondWhileFirstRuns.ShouldBe(ImportState.Preprocessing);
        secondOpenedWhileFirstRuns.ShouldBeFalse();
        (await secondOpened.Task).ShouldBe(ImportState.Imported);
        ImportHarness.Counts(secondEnded).ShouldBe("imported: 1 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 1 of 1");
        queue.Failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task WithOneWorkspaceAtATimeAnotherWorkspacesRunWaitsForTheRunningOne()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, parallelWorkspaces: 1);
        var other = await harness.People.Database.AddWorkspaceAsync(Ct);
        var release = new TaskCompletionSource();
        var firstOpened = new TaskCompletionSource();
        await using var queue = QueueRunning(harness);
        var first = await RunOfAsync(harness, harness.People.WorkspaceId, "first", async ct =>
        {
            firstOpened.SetResult();
            await release.Task.WaitAsync(ct);
        });
        var waitingStates = new List<ImportState>();
        var beside = await RunOfAsync(harness, other, "beside", async ct => waitingStates.Add(await StateAsync(harness, first.Import.Id, ct)));

        await firstOpened.Task.WaitAsync(Ct);
        var besideWhileFirstRuns = await StateAsync(harness, beside.Import.Id, Ct);
        release.SetResult();
        await beside.Ended.WaitAsync(Ct);

        besideWhileFirstRuns.ShouldBe(ImportState.Preprocessing);
        waitingStates.ShouldBe([ImportState.Imported]);
    }

    [Fact]
    public async Task ARunWhoseSourceCannotBeOpenedEndsFailedWithTheReasonAndTheWorkspacesNextRunGoesOn()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await using var queue = QueueRunning(harness);
        var broken = await RunOfAsync(harness, harness.People.WorkspaceId, "broken", _ => throw new InvalidOperationException("the source database refused the connection"));
        var next = await RunOfAsync(harness, harness.People.WorkspaceId, "next", _ => Task.CompletedTask);

        var brokenEnded = await broken.Ended.WaitAsync(Ct);
        var nextEnded = await next.Ended.WaitAsync(Ct);

        ImportHarness.Counts(brokenEnded).ShouldBe("failed: 0 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 0 of  (the rows cannot be read: the source database refused the connection)");
        nextEnded.State.ShouldBe(ImportState.Imported);
        queue.Failures.ShouldBe(["the source database refused the connection"]);
    }

    [Fact]
    public async Task ARunCanceledBeforeItsTurnEndsCanceledAtOnceAndItsSourceIsNeverOpened()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        var opened = false;
        var run = await RunOfAsync(harness, harness.People.WorkspaceId, "canceled", _ =>
        {
            opened = true;
            return Task.CompletedTask;
        });

        await harness.Service.CancelAsync(harness.People.WorkspaceId, run.Import.Id, Ct);
        var beforeItsTurn = (await harness.Service.GetAsync(harness.People.WorkspaceId, run.Import.Id, Ct))!;
        await using var queue = QueueRunning(harness);
        var ended = await run.Ended.WaitAsync(Ct);

        beforeItsTurn.State.ShouldBe(ImportState.Canceled);
        beforeItsTurn.FinishedMs.ShouldNotBeNull();
        ended.State.ShouldBe(ImportState.Canceled);
        opened.ShouldBeFalse();
    }

    [Fact]
    public async Task AfterARestartARunOfAnotherSourceEndsFailedSayingHowManyRowsWereAppliedWhileFileImportsAreQueuedAgain()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        var sourced = await RunOfAsync(harness, harness.People.WorkspaceId, "sync", _ => Task.CompletedTask);
        var file = await harness.CreateAsync("id\nann\n", """{"identifier": "id"}""", Ct);
        await using (var db = await harness.People.ContextAsync(Ct))
        {
            await db.Imports.Where(i => i.Id == sourced.Import.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.State, ImportState.Importing).SetProperty(i => i.RowsCommitted, 3000), Ct);
        }

        var restarted = new ImportService(harness.People.Database.Factory, harness.People.Service, harness.People.Clock, harness.Service.Settings, Path.GetDirectoryName(harness.Service.FileOf(0))!);
        await restarted.RecoverAsync(Ct);

        var failed = (await restarted.GetAsync(harness.People.WorkspaceId, sourced.Import.Id, Ct))!;
        failed.State.ShouldBe(ImportState.Failed);
        failed.Error.ShouldBe("the server stopped before the run ended, and its rows come from a source it cannot read again; the first 3,000 rows were applied");
        restarted.Queue.TryDequeue(out var queued).ShouldBeTrue();
        queued.ImportId.ShouldBe(file.Import!.Id);
        restarted.Queue.TryDequeue(out _).ShouldBeFalse();
    }

    /// <summary>Queues a run of one row (a new person named after the run) whose source opens after <paramref name="opening"/>.</summary>
    private static async Task<QueuedImport> RunOfAsync(ImportHarness harness, int workspaceId, string name, Func<CancellationToken, Task> opening)
    {
        ImportOptionsJson.TryRead("""{"identifier": "id"}""", "options.", out var options).ShouldBeNull();
        return await harness.Service.QueueRunAsync(workspaceId, new ImportRequest(name, options, "sync"), async ct =>
        {
            await opening(ct);
            return new InMemorySource(["id"], [[name]]);
        }, Ct);
    }

    private static async Task<ImportState> StateAsync(ImportHarness harness, long importId, CancellationToken ct)
    {
        await using var db = await harness.People.ContextAsync(ct);
        return await db.Imports.Where(i => i.Id == importId).Select(i => i.State).SingleAsync(ct);
    }

    private static RunningQueue QueueRunning(ImportHarness harness) => new(harness.Service);

    /// <summary>The queue running as the app's worker runs it, until disposed.</summary>
    private sealed class RunningQueue : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        private readonly Task _running;

        public RunningQueue(ImportService service) =>
            _running = service.Queue.RunAsync(service.RunQueuedAsync, (_, exception) => Failures.Add(exception.Message), _stop.Token);

        public List<string> Failures { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running;
            _stop.Dispose();
        }
    }
}

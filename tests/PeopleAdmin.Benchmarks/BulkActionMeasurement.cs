using System.Diagnostics;
using PeopleAdmin.Core.BulkActions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Demo;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// <c>bulk [people] [deleted]</c>: on a fresh database of that many demo people (default 100,000), a bulk segment add of
/// everyone through the audience filter, then a bulk delete of the first <c>deleted</c> (default 10,000), chosen by a
/// filter on a second segment, each as the People page runs them (<see cref="BulkActionService"/>, batches of 500).
/// </summary>
internal static class BulkActionMeasurement
{
    public static async Task RunAsync(long people, int deleted)
    {
        await using var db = await BenchDatabase.CreateAsync();
        await new DemoPeople().GenerateAsync(db.Imports(), db.WorkspaceId, "benchmark", 1, people, 0, null, CancellationToken.None, chunk: 10_000);
        var bulk = new BulkActionService(db.Service, new AuditTrail(db.Factory, TimeProvider.System), TimeProvider.System);
        var everyone = await SegmentAsync(db, "Everyone");
        var first = await SegmentAsync(db, "First ones");
        Console.WriteLine($"{people:N0} demo people; load average before: {File.ReadAllText("/proc/loadavg").Trim()}");

        var added = await TimeAsync(bulk, db, BulkActionKind.AddToSegment, BulkActionTarget.Matching(AudienceFilter.Everyone), everyone);
        var firstOnes = new List<string>();
        await using (var rows = await db.Service.OpenPeopleRowsAsync(db.WorkspaceId, AudienceFilter.Everyone, [], CancellationToken.None))
        {
            while (firstOnes.Count < deleted && rows.Read())
            {
                firstOnes.Add(System.Text.Encoding.UTF8.GetString(rows.Utf8(0)));
            }
        }

        await db.Service.ExecuteBatchAsync(db.Context, [.. firstOnes.Chunk(BulkPeopleOperation.MaxPeople).Select(c => new BulkPeopleOperation(BulkActionKind.AddToSegment, c, first))], CancellationToken.None);
        var removed = await TimeAsync(bulk, db, BulkActionKind.Delete, BulkActionTarget.Matching(new InSegment(first)), null);
        Console.WriteLine();
        Console.WriteLine("| bulk action | people | time | rate | CPU time |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Row("segment add, everyone a filter matches", added));
        Console.WriteLine(Row("delete, everyone a filter (a segment) matches", removed));
    }

    private static async Task<int> SegmentAsync(BenchDatabase db, string name) =>
        (int)(await db.Service.ExecuteAsync(db.Context, new CreateSegmentOperation(name, null), CancellationToken.None)).RecordId!.Value;

    private static async Task<(BulkActionProgress Progress, TimeSpan Elapsed, TimeSpan Cpu)> TimeAsync(
        BulkActionService bulk, BenchDatabase db, BulkActionKind kind, BulkActionTarget target, int? segment)
    {
        var job = await bulk.StartAsync(db.WorkspaceId, new BulkActionRequest(kind, target, "benchmark", "benchmarks", segment, "bench"), CancellationToken.None);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await bulk.RunAsync(job!, CancellationToken.None);
        watch.Stop();
        var progress = job!.Progress;
        if (progress.State != BulkActionState.Done || progress.Skipped > 0)
        {
            throw new InvalidOperationException("The bulk action did not do everything: " + progress.Summary(job.Request.Done));
        }

        return (progress, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    // The process's CPU time says what the work costs on a machine that other builds keep busy.
    private static string Row(string what, (BulkActionProgress Progress, TimeSpan Elapsed, TimeSpan Cpu) run) =>
        $"| {what} | {run.Progress.Changed:N0} | {run.Elapsed.TotalSeconds:N1} s | {run.Progress.Changed / run.Elapsed.TotalSeconds:N0} people/s | {run.Cpu.TotalSeconds:N1} s |";
}

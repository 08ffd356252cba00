using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Demo;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// <c>audience &lt;data folder&gt;</c>: each filter operator's first page and count, and an export of everyone with five
/// attributes, over a data folder that <c>seed-demo</c> filled (its first workspace). Adds a segment of every 20th person
/// the first time. Prints a Markdown table; nothing is asserted.
/// </summary>
internal static class AudienceMeasurement
{
    public static async Task RunAsync(string dataDirectory, bool exportOnly = false)
    {
        await using var folder = await DemoFolder.OpenAsync(dataDirectory);
        var (factory, people, workspace, total) = (folder.Factory, folder.People, folder.WorkspaceId, folder.PeopleCount);
        int segment;
        await using (var db = await factory.CreateDbContextAsync())
        {
            segment = await db.Segments.Where(s => s.WorkspaceId == workspace && s.Name == "Every 20th").Select(s => s.Id).FirstOrDefaultAsync();
        }

        if (segment == 0)
        {
            segment = (int)(await people.ExecuteAsync(folder.Context, new CreateSegmentOperation("Every 20th", null), CancellationToken.None)).RecordId!;
            for (var from = 20L; from <= total; from += 20 * 5_000)
            {
                var members = Enumerable.Range(0, 5_000).Select(i => from + (i * 20L)).Where(n => n <= total).Select(n => PersonReference.ForId(DemoPeople.Id(n))).ToList();
                await people.ExecuteAsync(folder.Context, new AddToSegmentOperation(segment, members), CancellationToken.None);
            }
        }

        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC over {total:N0} people; load average before: {LoadAverage()}");
        Console.WriteLine();
        string[] columns = ["first_name", "plan", "country", "age", "lifetime_value"];
        if (exportOnly)
        {
            // The statement alone, then with every value's bytes touched: what the CSV writer adds is the rest of the export.
            foreach (var touchValues in new[] { false, true })
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var streamWatch = Stopwatch.StartNew();
                var streamed = 0L;
                var bytes = 0L;
                await using (var rows = await people.OpenPeopleRowsAsync(workspace, AudienceFilter.Everyone, columns, CancellationToken.None))
                {
                    while (rows.Read())
                    {
                        streamed++;
                        for (var column = 0; touchValues && column < rows.ColumnCount; column++)
                        {
                            bytes += rows.Utf8(column).Length;
                        }
                    }
                }

                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                Console.WriteLine($"Reading everyone with 5 attributes{(touchValues ? $", every value's bytes read ({bytes / 1_000_000:N0} MB)" : "")}, nothing written: {streamed:N0} rows in {streamWatch.Elapsed.TotalSeconds:N1} s = {streamed / streamWatch.Elapsed.TotalSeconds:N0} rows/s; CPU {cpu:N2} s");
            }
        }
        else
        {
            await MeasureFiltersAsync(folder, segment);
        }

        await MeasureExportAsync(factory, people, workspace, columns);
        Console.WriteLine($"Load average after: {LoadAverage()}");
    }

    private static async Task MeasureFiltersAsync(DemoFolder folder, int segment)
    {
        var plan = new AttributeFilter("plan", AttributeOperator.Equals, "enterprise");
        (string Name, AudienceFilter Filter)[] filters =
        [
            ("plan equals enterprise", plan),
            ("plan does not equal free", new AttributeFilter("plan", AttributeOperator.NotEquals, "free")),
            ("company contains zulauf", new AttributeFilter("company", AttributeOperator.Contains, "zulauf")),
            ("newsletter exists", new AttributeFilter("newsletter", AttributeOperator.Exists)),
            ("nickname does not exist", new AttributeFilter("nickname", AttributeOperator.NotExists)),
            ("lifetime_value greater than 4990", new AttributeFilter("lifetime_value", AttributeOperator.Greater, "4990")),
            ("age less than 19", new AttributeFilter("age", AttributeOperator.Less, "19")),
            ("created_at after 2025-12-25", new AttributeFilter("created_at", AttributeOperator.After, "2025-12-25")),
            ("created_at before 2021-01-10", new AttributeFilter("created_at", AttributeOperator.Before, "2021-01-10")),
            ("email contains nobody (no match)", new AttributeFilter("email", AttributeOperator.Contains, "nobody")),
            ("in segment (every 20th)", new InSegment(segment)),
            ("not in segment", new Not(new InSegment(segment))),
            ("all of: plan = enterprise, country = France", new AllOf([plan, new AttributeFilter("country", AttributeOperator.Equals, "France")])),
            ("any of: age < 19, (in segment and newsletter = true)", new AnyOf([new AttributeFilter("age", AttributeOperator.Less, "19"), new AllOf([new InSegment(segment), new AttributeFilter("newsletter", AttributeOperator.Equals, "true")])])),
        ];
        await folder.MeasureFiltersAsync(filters);
    }

    /// <summary>Three exports in a row: the first also pays for compiling the export's code and EF Core's queries.</summary>
    private static async Task MeasureExportAsync(IDbContextFactory<PeopleAdminDbContext> factory, PeopleService people, int workspace, string[] columns)
    {
        var exportDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-export-measure");
        var exports = new ExportService(factory, people, TimeProvider.System, exportDirectory);
        Console.WriteLine();
        for (var run = 1; run <= 3; run++)
        {
            var export = (await exports.CreateAsync(workspace, new ExportRequest(AudienceFilter.Everyone, columns, false, "measure"), CancellationToken.None))!;
            GC.Collect();
            var before = Environment.WorkingSet;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var exportWatch = Stopwatch.StartNew();
            await exports.RunAsync(export.Id, CancellationToken.None);
            var seconds = exportWatch.Elapsed.TotalSeconds;
            // On a shared machine the wall time says more about the neighbours than about the export: the CPU time it used is printed too.
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var done = await exports.GetAsync(workspace, export.Id, CancellationToken.None);
            var file = new FileInfo(exports.FileOf(export.Id));
            Console.WriteLine($"Export {run} of everyone with 5 attributes: {done!.Written:N0} rows, {file.Length / 1_000_000.0:N0} MB in {seconds:N1} s = {done.Written / seconds:N0} rows/s (count included); CPU {cpu:N1} s = {done.Written / cpu:N0} rows per CPU second; " +
                $"working set {before / 1_000_000:N0} MB before, {Environment.WorkingSet / 1_000_000:N0} MB after, peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1_000_000:N0} MB; load average {LoadAverage()}");
            file.Delete();
        }
    }

    private static string LoadAverage() => DemoFolder.LoadAverage();
}

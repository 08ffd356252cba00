using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Demo;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// <c>object-audience &lt;data folder&gt; [objects]</c>: the audience by object's first page and count over a data folder
/// that <c>seed-demo</c> filled (its first workspace). The first time it adds a type Accounts with <c>objects</c> accounts
/// (100,000 by default), each with a <c>bill_date</c> spread over two years around today and a plan, and relates every
/// person to one of them (person n to account n mod objects, with a role), all through the identity service. Prints a
/// Markdown table; nothing is asserted.
/// </summary>
internal static class ObjectAudienceMeasurement
{
    private const int PageRuns = 5;

    public static async Task RunAsync(string dataDirectory, int objects)
    {
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(dataDirectory, "peopleadmin.db")}");
        IDbContextFactory<PeopleAdminDbContext> factory = new PeopleAdminContextFactory(options.Options);
        await DatabaseMigrator.MigrateAsync(factory, CancellationToken.None);
        await using var writer = new WriteQueue(factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        var people = new PeopleService(writer, factory, TimeProvider.System);
        int workspace;
        long total;
        int typeId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            workspace = await db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
            total = await db.People.CountAsync(p => p.WorkspaceId == workspace);
            typeId = await db.Set<ObjectType>().Where(t => t.WorkspaceId == workspace && t.Name == "Accounts").Select(t => t.TypeId).FirstOrDefaultAsync();
        }

        if (typeId == 0)
        {
            typeId = await AddAccountsAsync(people, workspace, total, objects);
        }

        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC over {total:N0} people related to {objects:N0} accounts; load average before: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| filter | matches (count) | first page of 50, median of 5 | count | count's CPU time |");
        Console.WriteLine("|---|---|---|---|---|");
        var billedSoon = new AttributeFilter("bill_date", AttributeOperator.WithinNext, "30");
        var billing = new AttributeFilter("role", AttributeOperator.Equals, "billing");
        (string Name, AudienceFilter Filter)[] filters =
        [
            ("related to an account billed within the next 30 days", new RelatedObject(typeId, billedSoon, AudienceFilter.Everyone)),
            ("... through a relationship whose role is billing", new RelatedObject(typeId, billedSoon, billing)),
            ("related to an account on the enterprise plan", new RelatedObject(typeId, new AttributeFilter("plan", AttributeOperator.Equals, "enterprise"), AudienceFilter.Everyone)),
            ("related to an account billed on one day (rare)", new RelatedObject(typeId, new AttributeFilter("bill_date", AttributeOperator.Equals, DateTime.UtcNow.Date.AddDays(400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), AudienceFilter.Everyone)),
            ("billed within 30 days, and plan = enterprise on the person", new AllOf([new RelatedObject(typeId, billedSoon, AudienceFilter.Everyone), new AttributeFilter("plan", AttributeOperator.Equals, "enterprise")])),
        ];
        foreach (var (name, filter) in filters)
        {
            await people.FilterPeopleAsync(workspace, filter, null, 50, CancellationToken.None);
            var times = new List<double>();
            for (var i = 0; i < PageRuns; i++)
            {
                var watch = Stopwatch.StartNew();
                await people.FilterPeopleAsync(workspace, filter, null, 50, CancellationToken.None);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var countWatch = Stopwatch.StartNew();
            var count = await people.CountPeopleAsync(workspace, filter, CancellationToken.None);
            var countCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine($"| {name} | {count:N0} | {times[PageRuns / 2]:N1} ms | {countWatch.Elapsed.TotalMilliseconds:N0} ms | {countCpu.TotalMilliseconds:N0} ms |");
        }

        Console.WriteLine($"Load average after: {LoadAverage()}");
    }

    /// <summary>The accounts and everyone's relationship, 100 accounts (with their people) per operation, 20 operations per batch.</summary>
    private static async Task<int> AddAccountsAsync(PeopleService people, int workspace, long total, int objects)
    {
        var context = new OperationContext(workspace, Sources.Api);
        var typeId = (int)(await people.ExecuteAsync(context, new CreateObjectTypeOperation("Accounts"), CancellationToken.None)).RecordId!;
        var today = DateTime.UtcNow.Date;
        string[] plans = ["free", "basic", "pro", "enterprise"];
        var watch = Stopwatch.StartNew();
        var batch = new List<PeopleOperation>();
        for (var account = 0; account < objects; account++)
        {
            var attributes = new Dictionary<string, AttributeValue>
            {
                ["bill_date"] = AttributeValue.FromString(today.AddDays((account * 7919 % 730) - 365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ["plan"] = AttributeValue.FromString(plans[account % plans.Length]),
            };
            var members = new List<RelatedPersonInput>();
            for (var n = account + 1L; n <= total; n += objects)
            {
                members.Add(new RelatedPersonInput(PersonReference.ForId(DemoPeople.Id(n)), new Dictionary<string, AttributeValue>
                {
                    ["role"] = AttributeValue.FromString(n % 5 == 0 ? "billing" : "member"),
                }));
            }

            batch.Add(new IdentifyObjectOperation(ObjectReference.For(typeId.ToString(CultureInfo.InvariantCulture), "acct" + account.ToString(CultureInfo.InvariantCulture)), attributes, members));
            if (batch.Count == 20 || account == objects - 1)
            {
                await people.ExecuteBatchAsync(context, batch, CancellationToken.None);
                batch.Clear();
            }
        }

        Console.WriteLine($"Added {objects:N0} accounts and {total:N0} relationships in {watch.Elapsed.TotalSeconds:N0} s");
        return typeId;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

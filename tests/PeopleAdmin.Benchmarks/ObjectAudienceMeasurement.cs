using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Demo;

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
    public static async Task RunAsync(string dataDirectory, int objects)
    {
        await using var folder = await DemoFolder.OpenAsync(dataDirectory);
        var (people, workspace, total) = (folder.People, folder.WorkspaceId, folder.PeopleCount);
        int typeId;
        await using (var db = await folder.Factory.CreateDbContextAsync())
        {
            typeId = await db.Set<ObjectType>().Where(t => t.WorkspaceId == workspace && t.Name == "Accounts").Select(t => t.TypeId).FirstOrDefaultAsync();
        }

        if (typeId == 0)
        {
            typeId = await AddAccountsAsync(people, workspace, total, objects);
        }

        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC over {total:N0} people related to {objects:N0} accounts; load average before: {LoadAverage()}");
        Console.WriteLine();
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
        await folder.MeasureFiltersAsync(filters);
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
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
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

        Console.WriteLine($"Added {objects:N0} accounts and {total:N0} relationships in {watch.Elapsed.TotalSeconds:N0} s "
            + $"({(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N0} s of CPU; load average {LoadAverage()})");
        return typeId;
    }

    private static string LoadAverage() => DemoFolder.LoadAverage();
}

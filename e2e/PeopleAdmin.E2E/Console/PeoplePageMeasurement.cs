using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Demo;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.E2E.Infrastructure;
using PeopleAdmin.Web.Features.People;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

/// <summary>
/// Not a test: the People page's figures over a data folder that the demo generator filled (issue 9), skipped unless
/// <c>PEOPLEADMIN_MEASURE_DATA</c> names the folder. The service calls behind the page (and the attribute filters)
/// are timed in the app's process; the page loads in Chromium, signed in. Nothing is asserted on time: the figures go
/// to the test output and to <c>artifacts/measurements/people-page.md</c>. Run by <c>tests/load/measure-people-page.sh</c>.
/// </summary>
public sealed class PeoplePageMeasurement(BrowserFixture browser) : ConsoleTest(browser)
{
    private const int ServiceRuns = 21;
    private const int PageRuns = 5;

    private static readonly string? DataDirectory = Environment.GetEnvironmentVariable("PEOPLEADMIN_MEASURE_DATA");

    private readonly StringBuilder _report = new();

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["PeopleAdmin:DataDirectory"] = DataDirectory,
    };

    public override async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(string.IsNullOrEmpty(DataDirectory), "PEOPLEADMIN_MEASURE_DATA names no data folder to measure.");
        await base.InitializeAsync();
    }

    [Fact]
    public async Task MeasureThePeoplePageOverTheDataFolder()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Server.Services.GetRequiredService<PeopleDirectory>();
        var workspace = (await Server.Services.GetRequiredService<WorkspaceService>().ListAsync(ct))[0].Id;
        var demo = new DemoPeople();
        var email = demo.Person(500_000).Attributes[ReservedKeys.Email].Text!;
        var emailPrefix = email[..4];

        var cursor = (string?)null;
        for (var i = 0; i < 10_000 / PeopleDirectory.PageSize; i++)
        {
            cursor = (await directory.PageAsync(workspace, cursor, null, ct)).Next;
        }

        Line($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC over {DataDirectory}; load average before: {LoadAverage()}");
        Line("");
        Line("| service call (in process) | median | max |");
        Line("|---|---|---|");
        await TimeAsync("list, first page", () => directory.PageAsync(workspace, null, null, ct));
        await TimeAsync("list, the page after 10,000 rows", () => directory.PageAsync(workspace, cursor, null, ct));
        await TimeAsync("exact lookup by id (user-500000)", () => directory.SearchAsync(workspace, IdentifierMode.EmailOrId, "user-500000", ct));
        await TimeAsync($"exact lookup by email ({email})", () => directory.SearchAsync(workspace, IdentifierMode.EmailOrId, email.ToUpperInvariant(), ct));
        // Every "user-<n>" up to the people's count is an exact id; "user-" is a prefix of them all.
        await TimeAsync("prefix search by id (user-, every person), first page", () => directory.SearchAsync(workspace, IdentifierMode.EmailOrId, "user-", ct));
        var idPage = await directory.SearchAsync(workspace, IdentifierMode.EmailOrId, "user-", ct);
        await TimeAsync("prefix search by id, next page", () => directory.SearchAsync(workspace, IdentifierMode.EmailOrId, "user-", ct, after: idPage.Next));
        await TimeAsync($"prefix search by email ({emailPrefix}), first page", () => directory.SearchAsync(workspace, IdentifierMode.EmailOrId, emailPrefix, ct));
        var emailPage = await directory.SearchAsync(workspace, IdentifierMode.EmailOrId, emailPrefix, ct);
        await TimeAsync("prefix search by email, next page", () => directory.SearchAsync(workspace, IdentifierMode.EmailOrId, emailPrefix, ct, after: emailPage.Next));
        foreach (var filter in new AttributeFilter[]
        {
            new("plan", AttributeOperator.Equals, "enterprise"),
            new("plan", AttributeOperator.NotEquals, "free"),
            new("company", AttributeOperator.Contains, "zulauf"),
            new("newsletter", AttributeOperator.Exists),
            new("lifetime_value", AttributeOperator.Greater, "4990"),
            new("age", AttributeOperator.Less, "19"),
        })
        {
            await TimeAsync($"filter {filter.Name} {filter.Operator} {filter.Value}, first page of 50", () => People.FilterPeopleAsync(workspace, filter, null, 50, ct));
        }

        await SignInAsync();
        Line("");
        Line("| page load in Chromium | document's server time (median) | navigation to the rows shown / to the circuit up (median) | (max) |");
        Line("|---|---|---|---|");
        var rows = Page.GetByTestId("people-grid").Locator("tbody tr");
        await LoadAsync("/people", "first page", () => Expect(rows).ToHaveCountAsync(PeopleDirectory.PageSize));
        await LoadAsync("/people?after=" + cursor, "the page after 10,000 rows", () => Expect(rows).ToHaveCountAsync(PeopleDirectory.PageSize));
        await LoadAsync("/people?q=user-500000", "exact lookup, opening the profile", () => Expect(Page.GetByTestId("person-id")).ToHaveTextAsync("user-500000"));
        await LoadAsync("/people?q=" + emailPrefix, "prefix search by email, first page", () => Expect(rows.First).ToContainTextAsync(emailPrefix));
        await LoadAsync($"/people?q={emailPrefix}&after={emailPage.Next}", "prefix search by email, next page", () => Expect(rows.First).ToContainTextAsync(emailPrefix));
        await KeepScreenshotAsync("people-search-1m");

        Line("");
        Line($"Load average after: {LoadAverage()}");
        var output = Path.Combine(Config.RepositoryRoot, Config.ArtifactsDir, "measurements");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "people-page.md"), _report.ToString(), ct);
    }

    private async Task TimeAsync<T>(string what, Func<Task<T>> call)
    {
        for (var i = 0; i < 3; i++)
        {
            await call();
        }

        var times = new List<double>();
        for (var i = 0; i < ServiceRuns; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Row(what, times);
    }

    private async Task LoadAsync(string path, string what, Func<Task> shown)
    {
        var toRows = new List<double>();
        var toCircuit = new List<double>();
        var response = new List<double>();
        for (var i = 0; i < PageRuns + 1; i++)
        {
            await Page.GotoAsync("about:blank");
            var watch = Stopwatch.StartNew();
            await Page.GotoAsync(path.TrimStart('/'));
            await shown();
            var rows = watch.Elapsed.TotalMilliseconds;
            await WaitForInteractiveAsync();
            if (i > 0)
            {
                toRows.Add(rows);
                toCircuit.Add(watch.Elapsed.TotalMilliseconds);
                // The server's time for the prerendered document: request sent to its first byte back.
                response.Add(await Page.EvaluateAsync<double>(
                    "() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseStart - n.requestStart; }"));
            }
        }

        toRows.Sort();
        toCircuit.Sort();
        response.Sort();
        Line($"| `{path}` ({what}) | {Ms(response[response.Count / 2])} | {Ms(toRows[toRows.Count / 2])} / {Ms(toCircuit[toCircuit.Count / 2])} | {Ms(toRows[^1])} / {Ms(toCircuit[^1])} |");
    }

    private void Row(string what, List<double> times)
    {
        times.Sort();
        Line($"| {what} | {Ms(times[times.Count / 2])} | {Ms(times[^1])} |");
    }

    private void Line(string text)
    {
        _report.AppendLine(text);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

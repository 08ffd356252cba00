using Microsoft.Playwright;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using PeopleAdmin.Tests.Servers;
using static Microsoft.Playwright.Assertions;

[assembly: AssemblyFixture(typeof(SyncSources))]

namespace PeopleAdmin.E2E.Syncs;

public sealed class SyncsConsoleTests(BrowserFixture browser, SyncSources sources) : ConsoleTest(browser)
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["PeopleAdmin:Syncs:PollInterval"] = "00:00:00.500",
    };

    [Fact]
    public async Task AnOwnerConnectsADatabaseTestsItPreviewsAQuerySavesTheSyncRunsItAndSeesTheHistory()
    {
        var table = "customers_" + Guid.NewGuid().ToString("n")[..8];
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"create table {table} (user_id text, email text, plan text, updated_at timestamptz default now())");
        await sources.ExecuteAsync(SyncSourceKind.Postgres, $"insert into {table} (user_id, email, plan) values ('u1', 'ada@example.com', 'pro'), ('u2', 'bob@example.com', 'free'), ('u3', 'cy@example.com', 'pro')");
        await SignInAsync();

        await OpenAsync("/syncs");
        await Expect(Page.GetByTestId("connections-empty")).ToContainTextAsync("No connections yet");
        await Page.GetByRole(AriaRole.Button, new() { Name = "New connection" }).ClickAsync();
        var connection = Page.GetByTestId("connection-form");
        await connection.GetByLabel("Name", new() { Exact = true }).FillAsync("Shop database");
        await connection.GetByLabel("Host", new() { Exact = true }).FillAsync("127.0.0.1");
        await connection.GetByLabel("Port", new() { Exact = true }).FillAsync(sources.PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await connection.GetByLabel("Database name", new() { Exact = true }).FillAsync("source");
        await connection.GetByLabel("User", new() { Exact = true }).FillAsync("peopleadmin");
        await connection.GetByLabel("Password", new() { Exact = true }).FillAsync(sources.Password);
        await KeepScreenshotAsync("syncs-new-connection");
        await connection.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();
        await Expect(Page.GetByText("Connection Shop database saved.")).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Shop database" }).GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(Page.GetByTestId("connection-test-result")).ToContainTextAsync("Shop database: connected, signed in and read in a read-only transaction.");

        await Page.GetByRole(AriaRole.Button, new() { Name = "New sync" }).ClickAsync();
        var form = Page.GetByTestId("sync-form");
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Customers");
        await form.GetByLabel("Query").FillAsync($"select * from {table}");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save sync" }).ClickAsync();
        await Expect(Page.GetByText("Nothing was saved: query selects * : name the columns instead")).ToBeVisibleAsync();
        await form.GetByLabel("Query").FillAsync($"select user_id as id, email, plan from {table} where updated_at > {{{{last_sync_time}}}}");
        await form.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        var preview = form.GetByRole(AriaRole.Table);
        await Expect(preview).ToContainTextAsync("id (identifier)");
        await Expect(preview).ToContainTextAsync("attribute plan");
        await Expect(preview.GetByRole(AriaRole.Row).Filter(new() { HasText = "ada@example.com" })).ToContainTextAsync("u1");
        await KeepScreenshotAsync("syncs-preview");
        await form.GetByLabel("Paused (runs only with Run now)").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Save sync" }).ClickAsync();
        await Expect(Page.GetByText("Sync Customers saved, paused.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("runs-empty")).ToContainTextAsync("The sync is paused");

        await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Customers" }).GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(Page.GetByText("Customers is queued to run; its runs below follow it.")).ToBeVisibleAsync();
        var history = Page.GetByTestId("run-history");
        await Expect(history.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
        var run = history.GetByRole(AriaRole.Row).Filter(new() { HasText = "(Run now)" });
        await Expect(run.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("3");
        await Expect(run.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("3");
        await Expect(history.GetByTestId("errors-report")).ToHaveCountAsync(0);
        await KeepScreenshotAsync("syncs-history");

        await OpenAsync("/people?q=ada@example.com");
        await Expect(Page.GetByText("ada@example.com").First).ToBeVisibleAsync();
    }
}

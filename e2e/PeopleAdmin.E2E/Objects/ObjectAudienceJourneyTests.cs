using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Objects;

/// <summary>
/// The seed's example end to end: accounts and their people arrive from two CSV files (through the management API's
/// import, as a script would send them), and the People page finds everyone related to an account billed within the
/// next 30 days and saves them as a segment.
/// </summary>
public sealed class ObjectAudienceJourneyTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccountsAndTheirPeopleFromTwoCsvFilesThenEveryoneOfAnAccountBilledWithin30DaysSavedAsASegment()
    {
        // Arrange: an owner's token, the Accounts type, and the two files. Bills fall 5 and 29 days ahead, 31 days ahead
        // and 2 days ago (UTC days, the filter's default time zone).
        var workspace = await DefaultWorkspaceIdAsync();
        using var api = await ManagementClientAsync();
        using var created = await api.PostAsync(new Uri($"api/admin/v1/workspaces/{workspace}/object-types", UriKind.Relative), Json("""{"name": "Accounts"}"""), Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var today = DateTime.UtcNow.Date;
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var accounts = $"object_id,name,bill_date,seats\nacme,Acme,{Day(5)},12\nglobex,Globex,{Day(31)},3\ninitech,Initech,{Day(29)},40\numbrella,Umbrella,{Day(-2)},8\n";
        const string people = "email,name,account,role\nann@acme.test,Ann,acme,billing\nbob@acme.test,Bob,acme,member\ncy@globex.test,Cy,globex,billing\ndee@initech.test,Dee,initech,owner\neve@umbrella.test,Eve,umbrella,billing\n";
        await People.ExecuteAsync(new OperationContext(workspace, Sources.Api), new CreateSegmentOperation("Bills due this month", null), Ct);

        // Act: the accounts, then the people file twice: as people, then as their relationships to the accounts.
        (await ImportAsync(api, workspace, """{"type": "object", "object_type_id": "1"}""", accounts)).ShouldBe("imported 4 of 4");
        (await ImportAsync(api, workspace, """{"identifier": "email", "mapping": {"account": "ignore", "role": "ignore"}}""", people)).ShouldBe("imported 5 of 5");
        (await ImportAsync(api, workspace, """{"type": "relationship", "object_type_id": "1", "identifier": "email", "mapping": {"account": "attribute:object_id", "name": "ignore"}}""", people))
            .ShouldBe("imported 5 of 5");

        await SignInAsync();
        await OpenAsync("/people");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add condition" }).ClickAsync();
        var condition = Page.GetByTestId("filter-condition");
        await condition.GetByLabel("Condition on").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Related to object" }).ClickAsync();
        await condition.GetByLabel("Object type").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Accounts" }).ClickAsync();
        var name = condition.GetByLabel("Object attribute name");
        await name.FillAsync("bill_date");
        await name.PressAsync("Tab");
        await condition.GetByLabel("Object attribute operator").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "is within the next" }).ClickAsync();
        await condition.GetByLabel("Object attribute value").FillAsync("30");
        await KeepScreenshotAsync("people-filter-related-object");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();

        var rows = Page.GetByTestId("people-grid").Locator("tbody tr");
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("3 people match this filter");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("ann@acme.test");
        await Expect(rows.Nth(1)).ToContainTextAsync("bob@acme.test");
        await Expect(rows.Nth(2)).ToContainTextAsync("dee@initech.test");
        await KeepScreenshotAsync("people-related-to-accounts-billed-soon");

        await Page.GetByLabel("Select everyone on this page").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to segment" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Segment").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Bills due this month (0 members)" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add 3 people" }).ClickAsync();

        // Assert
        await Expect(Page.GetByTestId("bulk-action-status")).ToHaveTextAsync("Done: 3 of 3 people added", new() { Timeout = 30_000 });
        await KeepScreenshotAsync("people-billed-soon-saved-as-segment");
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        var members = await (from m in db.SegmentMemberships
                             join s in db.Segments on m.SegmentId equals s.Id
                             join p in db.People on m.PersonId equals p.Id
                             where s.Name == "Bills due this month"
                             orderby p.Id
                             select p.Email).ToListAsync(Ct);
        members.ShouldBe(["ann@acme.test", "bob@acme.test", "dee@initech.test"]);
    }

    /// <summary>A management API client on a token of the owner's, as a script holds one.</summary>
    private async Task<HttpClient> ManagementClientAsync()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var owner = await scope.ServiceProvider.GetRequiredService<UserManager<Operator>>().FindByEmailAsync(OwnerEmail);
        var token = await Server.Services.GetRequiredService<PersonalTokens>().CreateAsync(owner!.Id, "journey", DateTime.UtcNow.AddDays(1), Ct);
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!.Secret);
        return client;
    }

    /// <summary>Uploads a file with its options and follows the import to its end: "state rows_imported of rows_to_import".</summary>
    private static async Task<string> ImportAsync(HttpClient api, int workspace, string options, string csv)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(options, Encoding.UTF8, "application/json"), "options" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "file.csv" },
        };
        using var response = await api.PostAsync(new Uri($"api/admin/v1/workspaces/{workspace}/imports", UriKind.Relative), content, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("import_id").GetInt64();

        // The import runs on the app's queue; its state is the only thing to wait for.
        while (true)
        {
            using var read = await api.GetAsync(new Uri($"api/admin/v1/workspaces/{workspace}/imports/{id}", UriKind.Relative), Ct);
            var import = JsonDocument.Parse(await read.Content.ReadAsStringAsync(Ct)).RootElement;
            var state = import.GetProperty("state").GetString();
            if (state is "imported" or "failed" or "canceled" or "validated")
            {
                return $"{state} {import.GetProperty("rows_imported").GetInt64()} of {import.GetProperty("rows_to_import").GetInt64()}";
            }

            await Task.Delay(100, Ct);
        }
    }
}

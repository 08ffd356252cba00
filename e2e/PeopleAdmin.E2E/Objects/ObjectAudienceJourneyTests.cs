using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Objects;

/// <summary>
/// The seed's example end to end in the browser: accounts and their people arrive from two CSV files through the import
/// wizard (the accounts as objects; the people file as people, then as their relationships to the accounts), and the
/// People page finds everyone related to an account billed within the next 30 days and saves them as a segment.
/// </summary>
public sealed class ObjectAudienceJourneyTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccountsAndTheirPeopleImportedInTheWizardFromTwoCsvFilesThenEveryoneOfAnAccountBilledWithin30DaysSavedAsASegment()
    {
        // Arrange: the Accounts type and the two files. Bills fall 5 and 29 days ahead, 31 days ahead and 2 days ago (UTC
        // days, the filter's default time zone).
        var workspace = await DefaultWorkspaceIdAsync();
        var context = new OperationContext(workspace, Sources.Api);
        (await People.ExecuteAsync(context, new CreateObjectTypeOperation("Accounts"), Ct)).Status.ShouldBe(OperationStatus.Applied);
        await People.ExecuteAsync(context, new CreateSegmentOperation("Bills due this month", null), Ct);
        var today = DateTime.UtcNow.Date;
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var accounts = $"object_id,name,bill_date,seats\nacme,Acme,{Day(5)},12\nglobex,Globex,{Day(31)},3\ninitech,Initech,{Day(29)},40\numbrella,Umbrella,{Day(-2)},8\n";
        const string people = "email,name,account,role\nann@acme.test,Ann,acme,billing\nbob@acme.test,Bob,acme,member\ncy@globex.test,Cy,globex,billing\ndee@initech.test,Dee,initech,owner\neve@umbrella.test,Eve,umbrella,billing\n";
        await SignInAsync();

        // Act: the accounts as objects of the type, the people, then the same file as their relationships to the accounts.
        await UploadAsync("accounts.csv", accounts);
        await Page.GetByText("Objects and their attributes").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("object_type_id"));
        await Expect(Page.GetByTestId("identifier")).ToHaveCountAsync(0);
        await KeepScreenshotAsync("import-objects-options");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(Page.GetByTestId("mapping-table")).ToContainTextAsync("acme, globex, initech");
        await KeepScreenshotAsync("import-objects-mapping");
        await DryRunThenImportAsync(rows: 4, created: 4);

        await UploadAsync("people.csv", people);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(Page.GetByTestId("mapping-table")).ToContainTextAsync("ann@acme.test");
        await DryRunThenImportAsync(rows: 5, created: 5);

        await UploadAsync("people.csv", people);
        await Page.GetByText("People's relationships to objects").ClickAsync();
        await Expect(Page.GetByTestId("object-type")).ToBeVisibleAsync();
        await KeepScreenshotAsync("import-relationships-options");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(Page.GetByTestId("mapping-table")).ToContainTextAsync("ann@acme.test");
        await ChooseAsync("What column account becomes", "The object_id");
        await ChooseAsync("What column name becomes", "Ignored");
        await Expect(Page.GetByLabel("Attribute for column role")).ToHaveValueAsync("role");
        await KeepScreenshotAsync("import-relationships-mapping");
        await DryRunThenImportAsync(rows: 5, created: 5);

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
        var roles = await (from r in db.Set<Relationship>() join p in db.People on r.PersonId equals p.Id orderby p.Id select p.Email + " " + r.Attributes).ToListAsync(Ct);
        roles.ShouldBe(
        [
            """ann@acme.test {"role":"billing"}""", """bob@acme.test {"role":"member"}""", """cy@globex.test {"role":"billing"}""",
            """dee@initech.test {"role":"owner"}""", """eve@umbrella.test {"role":"billing"}""",
        ]);
    }

    /// <summary>Opens the wizard, uploads a file and waits for its preview, at the options step.</summary>
    private async Task UploadAsync(string fileName, string csv)
    {
        await OpenAsync("/imports/new");
        await Page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Expect(Page.GetByTestId("preview-table")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(Page.GetByTestId("import-type")).ToBeVisibleAsync();
    }

    private async Task ChooseAsync(string select, string option)
    {
        await Page.GetByLabel(select).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(Page.GetByLabel(select)).ToContainTextAsync(option);
    }

    /// <summary>From the mapping step: the dry run's review, then the import itself to its end.</summary>
    private async Task DryRunThenImportAsync(int rows, int created)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows (dry run)" }).ClickAsync();
        await Expect(Page.GetByTestId("review")).ToContainTextAsync($"A dry run read {rows} rows");
        await Expect(Page.GetByTestId("count-create")).ToContainTextAsync(created.ToString(CultureInfo.InvariantCulture));
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Import {rows} rows" }).ClickAsync();
        await Expect(Page.GetByTestId("outcome")).ToContainTextAsync($"{rows} of {rows} rows");
        await Expect(Page.GetByTestId("count-created")).ToContainTextAsync(created.ToString(CultureInfo.InvariantCulture));
        await Expect(Page.GetByTestId("count-failed")).ToContainTextAsync("0");
    }
}

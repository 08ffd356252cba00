using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Imports;

/// <summary>The CSV import in the browser: the wizard from the People page to a segment, and an import watched, left, and canceled.</summary>
public sealed partial class ImportConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    /// <summary>Small batches, so that an import of a few thousand rows runs long enough to be watched and canceled.</summary>
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["PeopleAdmin:Imports:BatchRows"] = "10",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOperatorImportsAWindows1252FileWithSemicolonsIntoANewSegmentAndReadsItsErrorReport()
    {
        await IdentifyAsync(await DefaultWorkspaceIdAsync(), "ana@example.com", ("first_name", "Anna"));
        CsvDetection.RegisterCodePages();
        var file = Encoding.GetEncoding(1252).GetBytes(
            "email;First Name;city\r\njose@example.com;José Müller;Zürich\r\nfrancoise@example.com;Françoise Dupré;Besançon\r\n"
            + "ana@example.com;Ana Núñez;São Paulo\r\nnot-an-email;Ærøskøbing Ñandú;Málaga\r\n");
        await SignInAsync();
        await OpenAsync("/people");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add people" }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Import a CSV" }).ClickAsync();
        await Expect(Page.GetByText("Drop a CSV file here")).ToBeVisibleAsync();
        await KeepScreenshotAsync("import-1-file");
        await Page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "fair-leads.csv", MimeType = "text/csv", Buffer = file });

        var preview = Page.GetByTestId("preview-table");
        await Expect(preview).ToContainTextAsync("José Müller");
        await Expect(preview).ToContainTextAsync("Ærøskøbing Ñandú");
        await Expect(Page.GetByTestId("row-count")).ToHaveTextAsync("3 columns, 4 rows below the header");
        await Expect(Page.GetByText("Detected as Windows-1252 (Western European) with semicolon (;) between cells")).ToBeVisibleAsync();
        await KeepScreenshotAsync("import-2-preview");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Page.GetByText("A new segment").ClickAsync();
        await Page.GetByLabel("New segment's name").FillAsync("Spring fair");
        await Page.GetByLabel("New segment's name").PressAsync("Tab");
        await Expect(Page).ToHaveURLAsync(new Regex("segment_name=Spring%20fair"));
        await KeepScreenshotAsync("import-3-options");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Expect(Page.GetByTestId("mapping-table")).ToContainTextAsync("jose@example.com, francoise@example.com");
        await Expect(Page.GetByLabel("Attribute for column First Name")).ToHaveValueAsync("first_name");
        await Page.GetByLabel("Attribute for column city").FillAsync("home_city");
        await Page.GetByLabel("Attribute for column city").PressAsync("Tab");
        await Expect(Page).ToHaveURLAsync(new Regex("home_city"));
        await KeepScreenshotAsync("import-4-mapping");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check the rows (dry run)" }).ClickAsync();

        var review = Page.GetByTestId("review");
        await Expect(review).ToContainTextAsync("A dry run read 4 rows");
        await Expect(Page.GetByTestId("count-create")).ToContainTextAsync("2");
        await Expect(Page.GetByTestId("count-update")).ToContainTextAsync("1");
        await Expect(Page.GetByTestId("count-fail")).ToContainTextAsync("1");
        await Expect(Page.GetByTestId("problems-errors.csv")).ToContainTextAsync("not-an-email");
        await KeepScreenshotAsync("import-5-review");
        (await People.FindPeopleByEmailAsync(await DefaultWorkspaceIdAsync(), "jose@example.com", Ct)).ShouldBeEmpty();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Import 4 rows" }).ClickAsync();
        await Expect(Page.GetByTestId("outcome")).ToContainTextAsync("Imported");
        await Expect(Page.GetByTestId("outcome")).ToContainTextAsync("4 of 4 rows");
        await Expect(Page.GetByTestId("count-created")).ToContainTextAsync("2");
        await Expect(Page.GetByTestId("count-failed")).ToContainTextAsync("1");
        await KeepScreenshotAsync("import-6-done");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Download errors.csv" }).ClickAsync());
        var errors = (await File.ReadAllLinesAsync(await download.PathAsync(), Ct)).Where(l => l.Length > 0).ToList();
        errors[0].ShouldBe("row,column,value,reason");
        errors.Skip(1).ShouldHaveSingleItem().ShouldStartWith("5,email,not-an-email,");

        var touched = Page.GetByTestId("import-people");
        await Expect(touched.GetByRole(AriaRole.Row)).ToHaveCountAsync(4);
        await Expect(touched.GetByRole(AriaRole.Row).Filter(new() { HasText = "ana@example.com" })).ToContainTextAsync("updated");
        await touched.ScrollIntoViewIfNeededAsync();
        await KeepScreenshotAsync("import-6b-people");
        await touched.GetByRole(AriaRole.Row).Filter(new() { HasText = "jose@example.com" }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.GetByTestId("attribute-first_name")).ToContainTextAsync("José Müller");

        await OpenAsync("/imports");
        await Expect(Page.GetByRole(AriaRole.Table)).ToContainTextAsync("fair-leads.csv");
        await Expect(Page.GetByRole(AriaRole.Table)).ToContainTextAsync("imported");
        await KeepScreenshotAsync("import-7-history");

        await OpenAsync("/segments");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Spring fair" }).ClickAsync();
        await Expect(Page.GetByTestId("segment-members")).ToContainTextAsync("3 members");
        await Expect(Page.GetByTestId("members-grid")).ToContainTextAsync("jose@example.com");
        await KeepScreenshotAsync("import-8-segment");
    }

    [Fact]
    public async Task AReloadDuringAnImportShowsItsProgressGoingOn()
    {
        await SignInAsync();
        var importId = await StartLongImportAsync();

        await OpenAsync($"/imports/{importId}");
        var before = await RowsDoneAsync(atLeast: 1);
        await KeepScreenshotAsync("import-progress");
        await Page.ReloadAsync();
        await WaitForInteractiveAsync();

        await RowsDoneAsync(atLeast: before + 1);
        await Expect(Page.GetByTestId("rows-done")).ToContainTextAsync("rows/s");
        await CancelAsync(importId);
    }

    [Fact]
    public async Task CancelMidwayAsksFirstAndKeepsTheRowsAlreadyImported()
    {
        await SignInAsync();
        var importId = await StartLongImportAsync();
        await OpenAsync($"/imports/{importId}");
        await RowsDoneAsync(atLeast: 1);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Cancel import" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("The rows imported so far stay imported");
        await KeepScreenshotAsync("import-cancel-confirm");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel import" }).ClickAsync();

        await Expect(Page.GetByTestId("outcome")).ToContainTextAsync("Canceled: the rows imported before the cancel stay");
        await KeepScreenshotAsync("import-canceled");
        var import = await ImportAsync(importId);
        import.State.ShouldBe(ImportState.Canceled);
        import.RowsCommitted.ShouldBeInRange(1, LongImportRows - 1);
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.People.LongCountAsync(Ct)).ShouldBe(import.RowsCreated);
    }

    private const int LongImportRows = 100_000;

    /// <summary>An import of many small batches, recorded through the engine as an upload is, and left to the app's worker.</summary>
    private async Task<long> StartLongImportAsync()
    {
        var csv = new StringBuilder("id,plan\n", LongImportRows * 16);
        for (var i = 0; i < LongImportRows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"p{i},pro\n");
        }

        var imports = Server.Services.GetRequiredService<ImportService>();
        var created = await imports.CreateAsync(
            await DefaultWorkspaceIdAsync(), new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), new ImportRequest("many.csv", new ImportOptions(), OwnerEmail), Ct);
        created.Problem.ShouldBeNull();
        return created.Import!.Id;
    }

    /// <summary>Waits until the page shows at least <paramref name="atLeast"/> rows done, and not all of them; answers how many it shows.</summary>
    private async Task<long> RowsDoneAsync(long atLeast)
    {
        var rowsDone = Page.GetByTestId("rows-done");
        await Expect(rowsDone).ToContainTextAsync($"of {LongImportRows:N0} rows");
        await Page.WaitForFunctionAsync(
            "min => parseInt(document.querySelector(\"[data-testid='rows-done']\")?.textContent.trim().replace(/,/g, '') ?? '0', 10) >= min", atLeast);
        var shown = long.Parse(RowsDone().Match((await rowsDone.InnerTextAsync()).Trim()).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        shown.ShouldBeLessThan(LongImportRows);
        return shown;
    }

    private async Task CancelAsync(long importId) =>
        await Server.Services.GetRequiredService<ImportService>().CancelAsync(await DefaultWorkspaceIdAsync(), importId, Ct);

    private async Task<Import> ImportAsync(long importId) =>
        (await Server.Services.GetRequiredService<ImportService>().GetAsync(await DefaultWorkspaceIdAsync(), importId, Ct))!;

    [GeneratedRegex(@"^([\d,]+) of")]
    private static partial Regex RowsDone();
}

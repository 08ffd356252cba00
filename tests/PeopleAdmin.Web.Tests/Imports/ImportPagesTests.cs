using System.Text;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary>The imports history (<c>/imports</c>) and an import's page: its review, its progress, its outcome and reports.</summary>
public sealed class ImportPagesTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private ImportService Imports => Services.GetRequiredService<ImportService>();

    /// <summary>Records an import of the file through the engine (as the wizard's dry run does) and runs it to its end.</summary>
    private async Task<long> ImportAsync(string csv, bool dryRun, string fileName = "people.csv")
    {
        var options = new ImportOptions { Identifier = IdentifierKind.Email, DryRun = dryRun };
        var created = await Imports.CreateAsync(WorkspaceId, new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportRequest(fileName, options, "editor@example.test"), Ct);
        created.Problem.ShouldBeNull();
        await Imports.RunAsync(created.Import!.Id, Ct);
        return created.Import.Id;
    }

    private async Task SetAsync(long importId, Action<Import> change)
    {
        await using var db = await Factory.CreateDbContextAsync(Ct);
        var import = await db.Imports.SingleAsync(i => i.Id == importId, Ct);
        change(import);
        await db.SaveChangesAsync(Ct);
    }

    private async Task<Import> ReadAsync(long importId)
    {
        await using var db = await Factory.CreateDbContextAsync(Ct);
        return await db.Imports.AsNoTracking().SingleAsync(i => i.Id == importId, Ct);
    }

    private IRenderedComponent<ImportPage> RenderImport(long importId)
    {
        var page = Render<ImportPage>(p => p.Add(c => c.ImportId, importId));
        page.WaitForAssertion(() => page.Find("[data-testid='import-title']"));
        return page;
    }

    private static AngleSharp.Dom.IElement Button<T>(IRenderedComponent<T> rendered, string text)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        rendered.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public void AnEmptyHistorySaysHowToImportTheFirstFile()
    {
        SignIn("editor@example.test", "CanEditPeople");

        var page = Render<ImportsPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='imports-empty']").TextContent.ShouldContain("map its columns and check it with a dry run"));
        page.FindAll("a").ShouldContain(a => a.GetAttribute("href") == ImportDraft.Path);
    }

    [Fact]
    public async Task TheHistoryListsEachImportWithItsStateCountsAuthorAndFile()
    {
        await IdentifyAsync("old@example.com");
        await ImportAsync("email,plan\r\nold@example.com,pro\r\nnew@example.com,free\r\nbad,x\r\n", dryRun: false, "march.csv");
        SignIn("viewer@example.test");

        var page = Render<ImportsPage>();

        page.WaitForAssertion(() => page.FindAll("tbody td").Select(c => c.TextContent.Trim()).Take(8)
            .ShouldBe(["march.csv", "imported", "3", "1", "1", "0", "1", "editor@example.test"]));
        page.FindAll("a").ShouldNotContain(a => a.GetAttribute("href") == ImportDraft.Path);
    }

    [Fact]
    public async Task TheHistoryIsPagedOnTheServerNewestFirst()
    {
        await using (var db = await Factory.CreateDbContextAsync(Ct))
        {
            for (var i = 1; i <= ImportsConsole.PageSize + 1; i++)
            {
                db.Imports.Add(new Import { WorkspaceId = WorkspaceId, State = ImportState.Imported, FileName = $"file-{i}.csv", OptionsJson = "{\"identifier\":\"id\"}", RequestedBy = "api", CreatedMs = i });
            }

            await db.SaveChangesAsync(Ct);
        }

        SignIn("viewer@example.test");

        var first = Render<ImportsPage>();
        first.WaitForAssertion(() => first.FindAll("tbody tr").Count.ShouldBe(ImportsConsole.PageSize));
        first.Find("tbody td").TextContent.Trim().ShouldBe($"file-{ImportsConsole.PageSize + 1}.csv");
        first.FindAll("[aria-label='Import pages']").ShouldNotBeEmpty();

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/imports?page=2");
        var second = Render<ImportsPage>();

        second.WaitForAssertion(() => second.FindAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ShouldBe(["file-1.csv"]));
    }

    [Fact]
    public async Task TheReviewShowsWhatTheDryRunWouldDoAndItsFirstProblemsByRow()
    {
        await IdentifyAsync("old@example.com");
        var id = await ImportAsync("email,plan\r\nold@example.com,pro\r\nnew@example.com,free\r\nnot-an-email,x\r\n", dryRun: true);
        SignIn("editor@example.test", "CanEditPeople");

        var page = RenderImport(id);

        page.Find("[data-testid='review']").TextContent.ShouldContain("A dry run read 3 rows");
        page.Find("[data-testid='count-create']").TextContent.ShouldContain("1");
        page.Find("[data-testid='count-create']").TextContent.ShouldContain("would create");
        page.Find("[data-testid='count-update']").TextContent.ShouldContain("1");
        page.Find("[data-testid='count-fail']").TextContent.ShouldContain("1");
        page.Find("[data-testid='problems-errors.csv'] tbody tr td").TextContent.ShouldBe("4");
        page.Find("[data-testid='import-state']").TextContent.ShouldBe("ready to import");
        (await People.FindPeopleByEmailAsync(WorkspaceId, "new@example.com", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ImportAfterTheReviewStartsTheRunForReal()
    {
        var id = await ImportAsync("email,plan\r\nnew@example.com,free\r\n", dryRun: true);
        SignIn("editor@example.test", "CanEditPeople");
        var page = RenderImport(id);

        Button(page, "Import 1 row").Click();

        page.WaitForAssertion(() => page.Find("[data-testid='progress']"));
        var import = await ReadAsync(id);
        import.State.ShouldBe(ImportState.Importing);
        import.OptionsJson.ShouldContain("\"dry_run\":false");
    }

    [Fact]
    public async Task ARunningImportShowsItsProgressRateAndCounts()
    {
        var id = await ImportAsync("email\r\na@example.com\r\n", dryRun: true);
        await SetAsync(id, i => (i.State, i.RowsToImport, i.RowsCommitted, i.RowsCreated, i.RowsUpdated, i.StartedMs, i.UpdatedMs, i.FinishedMs, i.OptionsJson)
            = (ImportState.Importing, 10_000, 4_000, 3_000, 1_000, 1_000, 3_000, null, "{\"identifier\":\"email\",\"dry_run\":false}"));
        SignIn("viewer@example.test");

        var page = RenderImport(id);

        page.Find("[data-testid='rows-done']").TextContent.ShouldContain("4,000 of 10,000 rows");
        page.Find("[data-testid='rows-done']").TextContent.ShouldContain("2,000 rows/s");
        page.Find("[data-testid='rows-done']").TextContent.ShouldContain("about 3 s left");
        page.Find("[data-testid='count-created']").TextContent.ShouldContain("3,000");
        page.Find("[data-testid='progress'] [role='progressbar']").GetAttribute("aria-valuenow").ShouldBe("40");
        page.FindAll("button").ShouldNotContain(b => b.TextContent.Contains("Cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheProgressMovesOnWhileThePageIsOpen()
    {
        var id = await ImportAsync("email\r\na@example.com\r\n", dryRun: true);
        await SetAsync(id, i => (i.State, i.RowsToImport, i.RowsCommitted) = (ImportState.Importing, 10, 2));
        SignIn("viewer@example.test");
        var page = Render<ImportPage>(p => p.Add(c => c.ImportId, id).Add(c => c.PollInterval, TimeSpan.FromMilliseconds(50)));
        page.WaitForAssertion(() => page.Find("[data-testid='rows-done']").TextContent.ShouldContain("2 of 10 rows"));

        await SetAsync(id, i => i.RowsCommitted = 7);

        page.WaitForAssertion(() => page.Find("[data-testid='rows-done']").TextContent.ShouldContain("7 of 10 rows"));
    }

    [Fact]
    public async Task CancelAsksFirstAndThenStopsTheImportAfterItsBatch()
    {
        var id = await ImportAsync("email\r\na@example.com\r\n", dryRun: true);
        await SetAsync(id, i => (i.State, i.RowsToImport, i.RowsCommitted) = (ImportState.Importing, 10, 2));
        SignIn("editor@example.test", "CanEditPeople");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderImport(id);

        Button(page, "Cancel import").Click();
        dialogs.WaitForAssertion(() => dialogs.Find(".mud-dialog").TextContent.ShouldContain("The rows imported so far stay imported"));
        (await ReadAsync(id)).CancelRequested.ShouldBeFalse();
        Button(dialogs, "Cancel import").Click();

        page.WaitForAssertion(() => Button(page, "Canceling…"));
        (await ReadAsync(id)).CancelRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task AFinishedImportShowsItsOutcomeDurationAndReportDownloads()
    {
        var id = await ImportAsync("email,plan\r\nnew@example.com,free\r\nnot-an-email,x\r\n", dryRun: false);
        SignIn("viewer@example.test");

        var page = RenderImport(id);

        page.Find("[data-testid='outcome']").TextContent.ShouldContain("Imported");
        page.Find("[data-testid='outcome']").TextContent.ShouldContain("2 of 2 rows in");
        page.FindAll("a[download]").Select(a => a.GetAttribute("href")).ShouldBe([ImportReports.Href(id, ImportProblemKind.Error)]);
        page.Find("[data-testid='problems-warnings.csv']").TextContent.ShouldContain("No warnings.");
        page.FindAll("[data-testid='import-settings'] tr")[0].TextContent.ShouldContain("email");
    }

    [Fact]
    public async Task AViewerSeesTheReviewButCannotStartItAndTheServerRefusesToo()
    {
        var id = await ImportAsync("email\r\nnew@example.com\r\n", dryRun: true);
        SignIn("viewer@example.test");

        var page = RenderImport(id);
        var refused = await Services.GetRequiredService<ImportsConsole>().StartAsync(id, Ct);

        page.Find("[data-testid='review']");
        page.FindAll("button").ShouldNotContain(b => b.TextContent.Contains("Import", StringComparison.Ordinal));
        refused.ShouldBe("Only Editors, Admins and the Owner can import.");
        (await ReadAsync(id)).State.ShouldBe(ImportState.Validated);
    }

    [Fact]
    public void AnImportOfAnotherWorkspaceIsNotShown()
    {
        SignIn("viewer@example.test");

        var page = Render<ImportPage>(p => p.Add(c => c.ImportId, 999));

        page.WaitForAssertion(() => page.Find("[data-testid='import-not-found']").TextContent.ShouldContain("No import 999 here"));
    }

    private PeopleService People => Services.GetRequiredService<PeopleService>();
}

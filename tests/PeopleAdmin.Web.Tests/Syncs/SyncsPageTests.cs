using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Tests.Servers;
using PeopleAdmin.Web.Features.Syncs;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Syncs;

/// <summary>The Syncs page: empty states that say what to do, the preview with each column's mapping, and the role check of every change.</summary>
public sealed class SyncsPageTests(SyncSources sources) : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<long> AddConnectionAsync()
    {
        var s = sources.Postgres();
        var (connection, error) = await Services.GetRequiredService<SyncConnectionsService>().SaveAsync(WorkspaceId, null,
            new SyncConnectionInput("Warehouse", s.Kind, s.Host, s.Port, s.Database, s.User, s.Password, s.SslMode), Ct);
        error.ShouldBeNull();
        return connection!.Id;
    }

    private static void Click(IRenderedComponent<SyncsPage> page, string text, IElement? within = null) =>
        (within?.QuerySelectorAll("button") ?? page.FindAll("button")).First(b => b.TextContent.Trim().Equals(text, StringComparison.OrdinalIgnoreCase)).Click();

    [Fact]
    public void WithoutConnectionsThePageSaysWhatToDoFirst()
    {
        SignIn("admin@example.test", "CanManageSettings");

        var page = Render<SyncsPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=connections-empty]").TextContent.ShouldContain("No connections yet. Add one with New connection"));
        page.Find("[data-testid=syncs-empty]").TextContent.ShouldContain("Add a connection first.");
    }

    [Fact]
    public async Task ARunsErrorsAndWarningsReportsOpenUnderItsHistoryWithALinkToTheImport()
    {
        var syncs = Services.GetRequiredService<SyncsService>();
        var runner = Services.GetRequiredService<SyncRunner>();
        var (sync, _) = await syncs.SaveAsync(WorkspaceId, null, new SyncInput("Twice", await AddConnectionAsync(),
            "select 'a' as id union all select 'a' union all select null", 60, PeopleAdmin.Core.People.IdentifierKind.Id, SyncDataToProcess.OnlyNew, SyncEmptyValues.Ignore, null, Paused: true), Ct);
        var (runId, _) = await syncs.RunNowAsync(WorkspaceId, sync!.Id, Ct);
        var imports = Services.GetRequiredService<PeopleAdmin.Core.Imports.ImportService>();
        using (var stopping = new CancellationTokenSource())
        {
            var queue = imports.Queue.RunAsync(imports.RunQueuedAsync, (_, _) => { }, stopping.Token);
            await runner.ClaimNextAsync(Ct);
            await runner.RunAsync(runId!.Value, Ct);
            await stopping.CancelAsync();
            await queue;
        }

        SignIn("admin@example.test", "CanManageSettings");
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/syncs?sync={sync.Id}");
        var page = Render<SyncsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=run-history]").TextContent.ShouldContain("Warnings report"));
        var importId = (await syncs.GetRunAsync(WorkspaceId, sync.Id, runId.Value, Ct))!.ImportId;
        page.Find("[data-testid=run-history] a").GetAttribute("href").ShouldBe($"/imports/{importId}");

        Click(page, "Warnings report", page.Find("[data-testid=run-history]"));
        page.WaitForAssertion(() => page.Find("[data-testid=warnings-report]").TextContent.ShouldContain("2,id,a,\"someone holds this identifier, and the import takes only new people\""));
        Click(page, "Errors report", page.Find("[data-testid=run-history]"));

        page.WaitForAssertion(() => page.Find("[data-testid=errors-report]").TextContent.ShouldContain("3,id,,\"the row has no id, the import's identifier\""));
        page.FindAll("[data-testid=warnings-report]").ShouldBeEmpty();
        page.Find("[data-testid=run-history] h4").TextContent.ShouldStartWith("Failed rows of the run queued");
    }

    [Fact]
    public async Task APreviewShowsTheRowsUnderTheirColumnsAndWhatEachBecomes()
    {
        await AddConnectionAsync();
        SignIn("admin@example.test", "CanManageSettings");
        var page = Render<SyncsPage>();
        page.WaitForAssertion(() => page.FindAll("button").Select(b => b.TextContent.Trim()).ShouldContain("New sync"));
        Click(page, "New sync");

        page.FindAll("textarea").Single().Change("select 'u1' as id, 'ada@example.com' as email, 'pro' as plan where now() > {{last_sync_time}}");
        Click(page, "Preview", page.Find("[data-testid=sync-form]"));

        page.WaitForAssertion(() => page.Find("[data-testid=sync-form] table").TextContent.ShouldContain("ada@example.com"));
        var headers = page.FindAll("[data-testid=sync-form] th").Select(h => h.TextContent.Trim()).ToList();
        headers.ShouldBe(["id→ id (identifier)", "email→ email", "plan→ attribute plan"]);
    }

    [Fact]
    public async Task AnEditorsForgedChangesAreRefusedAndChangeNothing()
    {
        var connectionId = await AddConnectionAsync();
        SignIn("editor@example.test", "CanEditPeople");
        var console = Services.GetRequiredService<SyncsConsole>();

        var (sync, error) = await console.SaveSyncAsync(WorkspaceId, null,
            new SyncInput("Forged", connectionId, "select 'a' as id", 60, Core.People.IdentifierKind.Id, SyncDataToProcess.All, SyncEmptyValues.Ignore, null, false), Ct);
        var test = await console.TestConnectionAsync(WorkspaceId, connectionId, Ct);

        sync.ShouldBeNull();
        error!.Message.ShouldBe("Only Admins and the Owner can manage database syncs.");
        test.ShouldBeNull();
        (await Services.GetRequiredService<SyncsService>().ListAsync(WorkspaceId, Ct)).ShouldBeEmpty();
    }
}

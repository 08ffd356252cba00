using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Apis;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary>An import running in the background leaves the app answering its pages and APIs.</summary>
public sealed class ImportAlongsideRequestsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePeoplePageAndATrackIdentifyAreAnsweredWhileAnImportIsMidway()
    {
        await using var factory = ApiTestHost.CreateFactory().WithOwner().With("PeopleAdmin:Imports:BatchRows", "2");
        var workspaceId = (await factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct))[0].Id;
        var imports = factory.Services.GetRequiredService<ImportService>();
        using var source = new HaltingSource(rowsBeforeHalt: 4);
        ImportOptionsJson.TryRead("""{"identifier": "id"}""", "options.", out var options).ShouldBeNull();
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var track = factory.TrackClient();
        (await StaticForms.SignInAsync(browser, StaticForms.OwnerEmail, StaticForms.OwnerPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var run = await imports.QueueRunAsync(workspaceId, new ImportRequest("long.csv", options, "tester"), _ => Task.FromResult<IImportSource>(source), Ct);
        await source.Halted.Task.WaitAsync(Ct);
        using var page = await browser.GetAsync(new Uri("/people", UriKind.Relative), Ct);
        using var identify = await track.PutAsync(new Uri("/api/v1/customers/walk-in", UriKind.Relative), ApiTestHost.Json("""{"plan": "pro"}"""), Ct);
        var midway = await imports.GetAsync(workspaceId, run.Import.Id, Ct);
        source.Resume();
        var ended = await run.Ended.WaitAsync(Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        identify.StatusCode.ShouldBe(HttpStatusCode.OK);
        midway!.State.ShouldBe(ImportState.Importing);
        ended.State.ShouldBe(ImportState.Imported);
        ended.RowsCreated.ShouldBe(6);
        var walkIn = await factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(workspaceId, PersonReference.ForId("walk-in"), Ct);
        walkIn!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    /// <summary>Six rows, of which the engine gets the first few, then waits (as a slow file or database would) until resumed.</summary>
    private sealed class HaltingSource(int rowsBeforeHalt) : IImportSource
    {
        private readonly ManualResetEventSlim _resume = new();

        public TaskCompletionSource Halted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Columns { get; } = ["id"];

        public IEnumerable<ImportRecord> ReadRows()
        {
            for (var row = 2; row < 8; row++)
            {
                if (row - 2 == rowsBeforeHalt)
                {
                    Halted.TrySetResult();
                    _resume.Wait(Ct);
                }

                yield return new ImportRecord(row, [$"imported-{row}"]);
            }
        }

        public void Resume() => _resume.Set();

        public void Dispose() => _resume.Dispose();
    }
}

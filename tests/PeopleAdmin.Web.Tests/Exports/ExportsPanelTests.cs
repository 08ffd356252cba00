using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Web.Features.Exports;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Exports;

/// <summary>The Exports list under the People page: what it shows when the page asks it to refresh.</summary>
public sealed class ExportsPanelTests : ConsoleTestContext
{
    [Fact]
    public async Task AnExportThatFinishedBeforeThePageRefreshedTheListShowsItsDownloadAtOnce()
    {
        // Arrange: the list is empty when the page opens; the export is started and written before the page refreshes it
        SignIn("viewer@example.test");
        await IdentifyAsync("ann@example.test");
        var panel = Render<ExportsPanel>();
        panel.FindAll("[data-testid=exports]").ShouldBeEmpty();
        var exports = Services.GetRequiredService<ExportService>();
        var ct = Xunit.TestContext.Current.CancellationToken;
        var export = await exports.CreateAsync(WorkspaceId, new ExportRequest(AudienceFilter.Everyone, [], false, "viewer@example.test"), ct);
        await exports.RunAsync(export!.Id, ct);

        // Act
        await panel.InvokeAsync(panel.Instance.RefreshAsync);

        // Assert
        panel.Find("[data-testid=export-status]").TextContent.ShouldBe("Done: 1 people");
        panel.FindAll("a").ShouldContain(a => a.TextContent.Contains("Download CSV"));
    }
}

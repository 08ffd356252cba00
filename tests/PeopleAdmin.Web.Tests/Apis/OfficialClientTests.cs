using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>The official Customer.io Node client (customerio-node, pinned in tests/PeopleAdmin.ClientCompat) against the real server.</summary>
public sealed class OfficialClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheOfficialNodeClientWorksByChangingOnlyItsBaseUrl()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateKestrelClient();
        var baseUrl = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var folder = await NodeScripts.FolderAsync("PeopleAdmin.ClientCompat", "customerio-node", Ct);

        var (exitCode, output) = await NodeScripts.RunAsync("node", ["compat.js", baseUrl, SiteId, TrackKey, AppKey], folder, Ct);

        exitCode.ShouldBe(0, output);
        output.ShouldNotContain("FAIL");
        var workspaceId = (await factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
        var people = factory.Services.GetRequiredService<PeopleService>();
        var events = await people.GetActivityAsync(new ActivityQuery(workspaceId, null, [ActivityTypes.Event], 100, null), Ct);
        events.Items.Select(i => i.Name).ShouldContain("signed_up");
        events.Items.Select(i => i.Name).ShouldContain("visited");
    }
}

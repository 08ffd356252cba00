using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.LeadAds;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.LeadAds;

/// <summary>The background reader: leads are kept in the database, so one received before a restart is read after it.</summary>
public sealed class LeadFetcherTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-web-tests", Guid.NewGuid().ToString("n"));
    private GraphStandIn _graph = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _graph = await GraphStandIn.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _graph.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }

    // A restart finds the database in the data folder, where SQLite keeps it.
    private PeopleAdminFactory Start(bool background) => CreateFactory(PeopleAdmin.Tests.TestStore.Sqlite)
        .With("PeopleAdmin:DataDirectory", _dataDirectory)
        .With("PeopleAdmin:FacebookLeadAds:GraphBaseUrl", _graph.BaseUrl)
        .With("PeopleAdmin:FacebookLeadAds:FetchInBackground", background ? "true" : "false");

    [Fact]
    public async Task ALeadReceivedBeforeARestartIsReadInTheBackgroundAfterIt()
    {
        _graph.AddLead("900000000000020", "444", "555", ("email", "gus@example.com"));
        const string body = """{"object":"page","entry":[{"id":"123","time":1765015200,"changes":[{"field":"leadgen","value":{"ad_id":"555","form_id":"444","leadgen_id":"900000000000020","created_time":1765015200,"page_id":"123"}}]}]}""";
        await using (var before = Start(background: false))
        {
            using var admin = before.AdminClient();
            var id = (await before.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
            using var put = await admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/lead-ads", UriKind.Relative),
                Json("""{"app_secret": "s3cret", "verify_token": "v", "pages": [{"page_id": "123", "access_token": "EAAtoken"}]}"""), Ct);
            using var client = before.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/integrations/facebook/{SiteId}/webhook") { Content = Json(body) };
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, Encoding.UTF8.GetBytes(body))));
            using var response = await client.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        _graph.Requests.ShouldBeEmpty();
        await using var after = Start(background: true);
        _ = after.Services;
        await _graph.FirstRequest.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        // The background run holds the processor until it has applied what it read: this waits for it to finish.
        await after.Services.GetRequiredService<LeadProcessor>().ProcessDueAsync(Ct);

        await using var db = await after.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.ReceivedLeads.AsNoTracking().SingleAsync(Ct)).State.ShouldBe(LeadState.Applied);
        (await db.People.AsNoTracking().CountAsync(p => p.Email == "gus@example.com", Ct)).ShouldBe(1);
    }
}

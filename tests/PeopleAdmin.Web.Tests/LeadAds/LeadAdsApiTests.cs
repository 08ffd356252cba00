using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.LeadAds;

/// <summary><c>PUT/GET /api/admin/v1/workspaces/{id}/lead-ads</c>: the connection set whole, its secrets encrypted and never answered.</summary>
public sealed class LeadAdsApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory().With("PeopleAdmin:PublicBaseUrl", "https://people.example.com");
        _admin = _factory.AdminClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<string> PathAsync() =>
        $"/api/admin/v1/workspaces/{(await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id}/lead-ads";

    private async Task<HttpResponseMessage> PutAsync(string json) => await _admin.PutAsync(new Uri(await PathAsync(), UriKind.Relative), Json(json), Ct);

    [Fact]
    public async Task AConnectionIsAnsweredWithItsWebhookUrlAndWithoutSecrets()
    {
        using var put = await PutAsync("""{"app_secret": "the-app-secret", "verify_token": "the-verify-token", "pages": [{"page_id": "123", "access_token": "EAAsecret"}]}""");
        using var get = await _admin.GetAsync(new Uri(await PathAsync(), UriKind.Relative), Ct);

        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await get.Content.ReadAsStringAsync(Ct);
        text.ShouldNotContain("the-app-secret");
        text.ShouldNotContain("the-verify-token");
        text.ShouldNotContain("EAAsecret");
        var body = await get.ReadJsonAsync();
        body.GetProperty("webhook_url").GetString().ShouldBe($"https://people.example.com/integrations/facebook/{SiteId}/webhook");
        body.GetProperty("graph_version").GetString().ShouldBe("v25.0");
        body.GetProperty("pages")[0].GetProperty("page_id").GetString().ShouldBe("123");
    }

    [Fact]
    public async Task SecretsAreStoredEncryptedAndTheChangeIsAudited()
    {
        using var put = await PutAsync("""{"app_secret": "the-app-secret", "verify_token": "the-verify-token", "pages": [{"page_id": "123", "access_token": "EAAsecret"}]}""");

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        var connection = await db.LeadAdConnections.AsNoTracking().Include(c => c.Pages).SingleAsync(Ct);
        connection.ProtectedAppSecret.ShouldNotContain("the-app-secret");
        connection.ProtectedVerifyToken.ShouldNotContain("the-verify-token");
        connection.Pages.Single().ProtectedAccessToken.ShouldNotContain("EAAsecret");
        (await db.AuditEntries.AsNoTracking().Select(e => e.Action).ToListAsync(Ct)).ShouldContain(AuditActions.LeadAdsConnected);
    }

    [Theory]
    [InlineData("""{"verify_token": "v", "pages": [{"page_id": "1", "access_token": "t"}]}""", "app_secret is required.")]
    [InlineData("""{"app_secret": "s", "verify_token": "v", "pages": []}""", "a connection needs 1 to 100 Pages, each with its page_id and Page access_token; it has 0")]
    [InlineData("""{"app_secret": "s", "verify_token": "v", "pages": [{"page_id": "my page", "access_token": "t"}]}""", "pages[0].page_id must be a Facebook Page id: digits, such as 109876543210987; \"my page\" is not")]
    [InlineData("""{"app_secret": "s", "verify_token": "v", "pages": [{"page_id": "1"}]}""", "pages[0].access_token is required.")]
    [InlineData("""{"app_secret": "s", "verify_token": "v", "graph_version": "25", "pages": [{"page_id": "1", "access_token": "t"}]}""", "graph_version must be a Graph API version such as v25.0; \"25\" is not")]
    [InlineData("""{"app_secret": "s", "verify_token": "v", "pages": [{"page_id": "1", "access_token": "t"}], "mapping": {"email": "phone"}}""", "mapping.email must be \"id\", \"email\", \"attribute:<name>\" or \"ignore\"; it was \"phone\"")]
    [InlineData("""{"app_secret": "s", "verify_token": "v", "pages": [{"page_id": "1", "access_token": "t"}], "form_mappings": {"9": {"a": "id", "b": "email"}}}""", "only one field can be the identifier; a and b both are")]
    public async Task AnInvalidConnectionIsA400ThatNamesTheProblemAndSavesNothing(string json, string message)
    {
        using var response = await PutAsync(json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString().ShouldBe(message);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.LeadAdConnections.CountAsync(Ct)).ShouldBe(0);
    }
}

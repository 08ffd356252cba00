using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

[BothStores]
public sealed class ManagementApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        _admin = _factory.AdminClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    public static TheoryData<string, string> Endpoints => new()
    {
        { "POST", "/api/admin/v1/workspaces" },
        { "GET", "/api/admin/v1/workspaces" },
        { "PATCH", "/api/admin/v1/workspaces/1" },
        { "DELETE", "/api/admin/v1/workspaces/1" },
        { "GET", "/api/admin/v1/workspaces/1/settings" },
        { "PUT", "/api/admin/v1/workspaces/1/settings" },
        { "POST", "/api/admin/v1/workspaces/1/credentials/rotate" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryEndpointAnswers401WithAJsonBodyWithoutTheToken(string method, string path)
    {
        using var anonymous = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var wrong = _factory.AdminClient("wrong-token");

        using var none = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, Ct);
        using var refused = await wrong.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, Ct);

        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("PeopleAdmin__Admin__ApiToken");
    }

    [Fact]
    public async Task WithoutAConfiguredTokenTheManagementApiRefusesEveryone()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.AdminClient("");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await client.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ACreatedWorkspaceAnswersItsCredentialsOnceAndTheyWork()
    {
        using var response = await _admin.PostAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Json("{\"name\": \"Marketing\", \"settings\": {\"identifiers\": \"id_only\", \"rate_limit_per_second\": 50}}"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await response.ReadJsonAsync();
        created.GetProperty("name").GetString().ShouldBe("Marketing");
        created.GetProperty("settings").GetProperty("identifiers").GetString().ShouldBe("id_only");
        created.GetProperty("settings").GetProperty("rate_limit_per_second").GetInt32().ShouldBe(50);
        using var track = _factory.TrackClient(created.GetProperty("site_id").GetString()!, created.GetProperty("track_api_key").GetString()!);
        using var app = _factory.AppClient(created.GetProperty("app_api_key").GetString()!);
        (await track.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "name")]
    [InlineData("{\"name\": \"   \"}", HttpStatusCode.BadRequest, "name")]
    [InlineData("{\"name\": \"Default workspace\"}", HttpStatusCode.Conflict, "name")]
    [InlineData("{\"name\": \"X\", \"settings\": {\"identifiers\": \"phone\"}}", HttpStatusCode.BadRequest, "settings.identifiers")]
    [InlineData("{\"name\": \"X\", \"settings\": {\"colour\": \"red\"}}", HttpStatusCode.BadRequest, "settings.colour")]
    [InlineData("{\"name\": \"X\", \"settings\": {\"rate_limit_per_second\": 0}}", HttpStatusCode.BadRequest, "settings.rate_limit_per_second")]
    public async Task CreatingAWorkspaceWithBadInputIsRefused(string json, HttpStatusCode status, string field)
    {
        using var response = await _admin.PostAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(status);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe(field);
        (await ListAsync()).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task TheListHoldsNoSecrets()
    {
        var list = await ListAsync();

        var workspace = list.EnumerateArray().Single();
        workspace.GetProperty("site_id").GetString().ShouldBe(SiteId);
        workspace.TryGetProperty("track_api_key", out _).ShouldBeFalse();
        workspace.TryGetProperty("app_api_key", out _).ShouldBeFalse();
        workspace.GetRawText().ShouldNotContain(TrackKey);
    }

    [Fact]
    public async Task RenameChangesTheNameAndRefusesUnknownIds()
    {
        var id = await DefaultIdAsync();

        using var renamed = await _admin.PatchAsync(new Uri($"/api/admin/v1/workspaces/{id}", UriKind.Relative), Json("{\"name\": \"Production\"}"), Ct);
        using var missing = await _admin.PatchAsync(new Uri("/api/admin/v1/workspaces/999", UriKind.Relative), Json("{\"name\": \"X\"}"), Ct);

        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await renamed.ReadJsonAsync()).GetProperty("name").GetString().ShouldBe("Production");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteRemovesTheWorkspaceAndItsKeysStopAtOnce()
    {
        using var created = await _admin.PostAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Json("{\"name\": \"Temporary\"}"), Ct);
        var body = await created.ReadJsonAsync();
        using var app = _factory.AppClient(body.GetProperty("app_api_key").GetString()!);
        (await app.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var deleted = await _admin.DeleteAsync(new Uri($"/api/admin/v1/workspaces/{body.GetProperty("id").GetInt32()}", UriKind.Relative), Ct);
        using var again = await _admin.DeleteAsync(new Uri($"/api/admin/v1/workspaces/{body.GetProperty("id").GetInt32()}", UriKind.Relative), Ct);

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RotationGivesNewKeysWithTheSameSiteIdAndTheOldOnesStopAtOnce()
    {
        var id = await DefaultIdAsync();
        using var oldTrack = _factory.TrackClient();
        using var oldApp = _factory.AppClient();
        (await oldTrack.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await _admin.PostAsync(new Uri($"/api/admin/v1/workspaces/{id}/credentials/rotate", UriKind.Relative), null, Ct);

        var keys = await response.ReadJsonAsync();
        keys.GetProperty("site_id").GetString().ShouldBe(SiteId);
        (await oldTrack.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await oldApp.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var newTrack = _factory.TrackClient(SiteId, keys.GetProperty("track_api_key").GetString()!);
        using var newApp = _factory.AppClient(keys.GetProperty("app_api_key").GetString()!);
        (await newTrack.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await newApp.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SettingsAreReadAndPartlyUpdated()
    {
        var id = await DefaultIdAsync();

        using var updated = await _admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json("{\"rate_limit_per_second\": 5, \"blocked_identifier_values\": [\"test\"]}"), Ct);
        using var read = await _admin.GetAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Ct);

        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var settings = await read.ReadJsonAsync();
        settings.GetProperty("rate_limit_per_second").GetInt32().ShouldBe(5);
        settings.GetProperty("blocked_identifier_values").EnumerateArray().Select(v => v.GetString()).ShouldBe(["test"]);
        settings.GetProperty("identifiers").GetString().ShouldBe("email_or_id");
        settings.GetProperty("multi_identifier_merge").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AllowedOriginsAreReadAndWrittenAsOrigins()
    {
        var id = await DefaultIdAsync();

        using var updated = await _admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json("{\"allowed_origins\": [\"https://Shop.example.com/\", \"http://localhost:3000\"]}"), Ct);

        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await updated.ReadJsonAsync()).GetProperty("allowed_origins").EnumerateArray().Select(v => v.GetString()).ShouldBe(["https://shop.example.com", "http://localhost:3000"]);
    }

    [Theory]
    [InlineData("{\"identifiers\": 1}", "identifiers")]
    [InlineData("{\"multi_identifier_merge\": \"yes\"}", "multi_identifier_merge")]
    [InlineData("{\"blocked_identifier_values\": [1]}", "blocked_identifier_values[0]")]
    [InlineData("{\"rate_limit_per_second\": -1}", "rate_limit_per_second")]
    [InlineData("{\"allowed_origins\": \"https://shop.example.com\"}", "allowed_origins")]
    [InlineData("{\"allowed_origins\": [\"https://shop.example.com/path\"]}", "allowed_origins[0]")]
    [InlineData("{\"unknown\": true}", "unknown")]
    [InlineData("[]", "body")]
    public async Task BadSettingsAnswer400AndChangeNothing(string json, string field)
    {
        var id = await DefaultIdAsync();

        using var response = await _admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe(field);
        (await _factory.Services.GetRequiredService<PeopleService>().GetSettingsAsync(id, Ct))!.RateLimitPerSecond.ShouldBeNull();
    }

    [Fact]
    public async Task SettingsOfAnUnknownWorkspaceAnswer404()
    {
        using var read = await _admin.GetAsync(new Uri("/api/admin/v1/workspaces/999/settings", UriKind.Relative), Ct);
        using var write = await _admin.PutAsync(new Uri("/api/admin/v1/workspaces/999/settings", UriKind.Relative), Json("{}"), Ct);

        read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        write.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheSettingsGuardAnswers409WithTheConflictsAndChangesNothing()
    {
        using var created = await _admin.PostAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Json("{\"name\": \"Ids\", \"settings\": {\"identifiers\": \"id_only\"}}"), Ct);
        var workspace = await created.ReadJsonAsync();
        var id = workspace.GetProperty("id").GetInt32();
        using var track = _factory.TrackClient(workspace.GetProperty("site_id").GetString()!, workspace.GetProperty("track_api_key").GetString()!);
        (await track.PutAsync(new Uri("/api/v1/customers/a", UriKind.Relative), Json("{\"email\": \"same@example.com\"}"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await track.PutAsync(new Uri("/api/v1/customers/b", UriKind.Relative), Json("{\"email\": \"same@example.com\"}"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var refused = await _admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json("{\"identifiers\": \"email_or_id\"}"), Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var body = await refused.ReadJsonAsync();
        body.GetProperty("conflicts").GetArrayLength().ShouldBeGreaterThan(0);
        body.GetProperty("conflicts")[0].GetProperty("value").GetString()!.ShouldContain("same@example.com", Case.Insensitive);
        (await _factory.Services.GetRequiredService<PeopleService>().GetSettingsAsync(id, Ct))!.Identifiers.ShouldBe(IdentifierMode.IdOnly);
    }

    [Fact]
    public async Task ASettingsChangeReachesTheTrackApiAtOnce()
    {
        var id = await DefaultIdAsync();
        using var track = _factory.TrackClient();
        (await track.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var changed = await _admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json("{\"rate_limit_per_second\": 1}"), Ct);
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => track.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)));

        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        responses.ShouldContain(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private async Task<JsonElement> ListAsync()
    {
        using var response = await _admin.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.ReadJsonAsync();
    }

    private async Task<int> DefaultIdAsync() =>
        (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
}

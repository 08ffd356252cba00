using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>The app with a default workspace of known credentials, and clients that present them.</summary>
internal static class ApiTestHost
{
    public const string SiteId = "sitetest0000000001";

    // "?>>" and "??" make the standard base64 alphabet's '+' and '/' appear, so that the URL-safe alphabet is tested.
    public const string TrackKey = "track>>>?key??1";

    public const string AppKey = "appkey-0000000001";

    public const string AdminToken = "admin-token-for-tests-0001";

    public static PeopleAdminFactory CreateFactory(PeopleAdmin.Tests.TestStore? store = null) => new PeopleAdminFactory(store)
        .With("PeopleAdmin:DefaultWorkspace:SiteId", SiteId)
        .With("PeopleAdmin:DefaultWorkspace:TrackApiKey", TrackKey)
        .With("PeopleAdmin:DefaultWorkspace:AppApiKey", AppKey)
        .With("PeopleAdmin:Admin:ApiToken", AdminToken);

    public static string Basic(string siteId, string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{siteId}:{key}"));

    public static HttpClient TrackClient(this PeopleAdminFactory factory, string siteId = SiteId, string key = TrackKey)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Basic(siteId, key));
        return client;
    }

    public static HttpClient AppClient(this PeopleAdminFactory factory, string key = AppKey)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static HttpClient AdminClient(this PeopleAdminFactory factory, string token = AdminToken)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<CreatedWorkspace> CreateWorkspaceAsync(this PeopleAdminFactory factory, string name)
    {
        var result = await factory.Services.GetRequiredService<WorkspaceService>().CreateAsync(name, null, TestContext.Current.CancellationToken);
        return result.Value!;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The messages of a Track v1 error body.</summary>
    public static async Task<string> V1ErrorAsync(this HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        return string.Join(" | ", body.GetProperty("meta").GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
    }

    public static async Task<JsonElement> V2ErrorAsync(this HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        return body.GetProperty("errors")[0];
    }
}

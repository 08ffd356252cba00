using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

[BothStores]
public sealed class AppApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _client = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        _client = _factory.AppClient();
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    public static TheoryData<string> Endpoints => new()
    {
        "/v1/customers?email=a@example.com",
        "/v1/customers/p1/attributes",
        "/v1/customers/p1/activities",
        "/v1/customers/p1/segments",
        "/v1/activities",
        "/v1/segments",
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryEndpointAnswers401WithAJsonBodyWithoutTheAppKey(string path)
    {
        using var anonymous = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var trackKey = _factory.AppClient(TrackKey);

        using var none = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);
        using var wrong = await trackKey.GetAsync(new Uri(path, UriKind.Relative), Ct);

        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("Bearer");
    }

    [Fact]
    public async Task PeopleAreFoundByEmailIgnoringCase()
    {
        var cioId = await IdentifyAsync("p1", "{\"email\": \"Ann@Example.com\"}");

        var body = await GetJsonAsync("/v1/customers?email=ann@example.COM");

        var result = body.GetProperty("results").EnumerateArray().Single();
        result.GetProperty("id").GetString().ShouldBe("p1");
        result.GetProperty("email").GetString().ShouldBe("Ann@Example.com");
        result.GetProperty("cio_id").GetString().ShouldBe(cioId);
        (await GetJsonAsync("/v1/customers?email=nobody@example.com")).GetProperty("results").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task SearchingWithoutAnEmailAnswers400()
    {
        using var response = await _client.GetAsync(new Uri("/v1/customers", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("email");
    }

    [Theory]
    [InlineData("p1", null)]
    [InlineData("p1", "id")]
    [InlineData("ann@example.com", "email")]
    [InlineData("{cio}", "cio_id")]
    [InlineData("cio_{cio}", "cio_id")]
    public async Task AttributesAreStringsWithTheIdentifiersAmongThem(string identifier, string? idType)
    {
        var cioId = await IdentifyAsync("p1", "{\"email\": \"ann@example.com\", \"plan\": \"pro\", \"seats\": 3, \"vip\": true, \"created_at\": 1700000000}");
        var path = $"/v1/customers/{Uri.EscapeDataString(identifier.Replace("{cio}", cioId, StringComparison.Ordinal))}/attributes" + (idType is null ? "" : "?id_type=" + idType);

        var customer = (await GetJsonAsync(path)).GetProperty("customer");

        customer.GetProperty("id").GetString().ShouldBe("p1");
        customer.GetProperty("identifiers").GetProperty("cio_id").GetString().ShouldBe(cioId);
        customer.GetProperty("identifiers").GetProperty("email").GetString().ShouldBe("ann@example.com");
        var attributes = customer.GetProperty("attributes");
        attributes.GetProperty("plan").GetString().ShouldBe("pro");
        attributes.GetProperty("seats").GetString().ShouldBe("3");
        attributes.GetProperty("vip").GetString().ShouldBe("true");
        attributes.GetProperty("id").GetString().ShouldBe("p1");
        attributes.GetProperty("email").GetString().ShouldBe("ann@example.com");
        attributes.GetProperty("cio_id").GetString().ShouldBe(cioId);
        attributes.GetProperty("created_at").GetString().ShouldBe("1700000000");
        customer.GetProperty("unsubscribed").ValueKind.ShouldBe(JsonValueKind.False);
        customer.GetProperty("devices").ValueKind.ShouldBe(JsonValueKind.Array);
        customer.GetProperty("timestamps").GetProperty("plan").ValueKind.ShouldBe(JsonValueKind.Number);
    }

    [Theory]
    [InlineData("/v1/customers/nobody/attributes")]
    [InlineData("/v1/customers/nobody/activities")]
    [InlineData("/v1/customers/nobody/segments")]
    [InlineData("/v1/customers/nobody@example.com/attributes?id_type=email")]
    public async Task AnUnknownPersonAnswers404WithAJsonBody(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("No person");
    }

    [Theory]
    [InlineData("/v1/customers/p1/attributes?id_type=phone", "id_type")]
    [InlineData("/v1/customers/p1/activities?limit=101", "limit")]
    [InlineData("/v1/customers/p1/activities?limit=zero", "limit")]
    [InlineData("/v1/activities?limit=0", "limit")]
    [InlineData("/v1/activities?start=abc", "start")]
    public async Task BadQueryParametersAnswer400NamingThem(string path, string field)
    {
        await IdentifyAsync("p1", "{}");

        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task ActivitiesComeNewestFirstInPages()
    {
        await IdentifyAsync("p1", "{\"plan\": \"a\"}");
        await IdentifyAsync("p1", "{\"plan\": \"b\"}");
        await IdentifyAsync("p1", "{\"plan\": \"c\"}");

        var first = await GetJsonAsync("/v1/customers/p1/activities?limit=2");
        var next = first.GetProperty("next").GetString();
        var second = await GetJsonAsync($"/v1/customers/p1/activities?limit=2&start={next}");
        var workspace = await GetJsonAsync("/v1/activities?limit=100");

        var ids = first.GetProperty("activities").EnumerateArray().Concat(second.GetProperty("activities").EnumerateArray())
            .Select(a => long.Parse(a.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        ids.Count.ShouldBeGreaterThan(2);
        ids.ShouldBe(ids.OrderByDescending(i => i).ToList());
        var item = first.GetProperty("activities")[0];
        item.GetProperty("customer_id").GetString().ShouldBe("p1");
        item.GetProperty("customer_identifiers").GetProperty("id").GetString().ShouldBe("p1");
        workspace.GetProperty("activities").GetArrayLength().ShouldBe(ids.Count);
    }

    [Fact]
    public async Task ActivitiesCanBeFilteredByType()
    {
        await IdentifyAsync("p1", "{\"plan\": \"a\"}");

        var created = await GetJsonAsync("/v1/customers/p1/activities?type=profile_create");

        created.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ShouldAllBe(t => t == "profile_create");
        created.GetProperty("activities").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task SegmentsListAnswersTheWorkspacesManualSegments()
    {
        await IdentifyAsync("p1", "{}");

        (await GetJsonAsync("/v1/segments")).GetProperty("segments").ValueKind.ShouldBe(JsonValueKind.Array);
        (await GetJsonAsync("/v1/customers/p1/segments")).GetProperty("segments").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("{}", "segment")]
    [InlineData("{\"segment\": {}}", "segment.name")]
    [InlineData("{\"segment\": {\"name\": 3}}", "segment.name")]
    [InlineData("{\"segment\": {\"name\": \"VIP\", \"description\": []}}", "segment.description")]
    public async Task CreatingASegmentWithABadBodyAnswers400(string json, string field)
    {
        using var response = await _client.PostAsync(new Uri("/v1/segments", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task AnAppKeyOfOneWorkspaceNeverReadsAnother()
    {
        await IdentifyAsync("p1", "{\"email\": \"ann@example.com\"}");
        var other = await _factory.CreateWorkspaceAsync("Other");
        using var otherClient = _factory.AppClient(other.Keys.AppApiKey);

        using var attributes = await otherClient.GetAsync(new Uri("/v1/customers/p1/attributes", UriKind.Relative), Ct);
        using var search = await otherClient.GetAsync(new Uri("/v1/customers?email=ann@example.com", UriKind.Relative), Ct);
        using var activities = await otherClient.GetAsync(new Uri("/v1/activities", UriKind.Relative), Ct);

        attributes.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await search.ReadJsonAsync()).GetProperty("results").GetArrayLength().ShouldBe(0);
        (await activities.ReadJsonAsync()).GetProperty("activities").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task InAnIdOnlyWorkspaceIdTypeEmailAnswers400AndEmailSearchStillWorks()
    {
        await IdentifyAsync("p1", "{\"email\": \"shared@example.com\"}");
        using var admin = _factory.AdminClient();
        using var changed = await admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{_workspaceId}/settings", UriKind.Relative), Json("{\"identifiers\": \"id_only\"}"), Ct);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var byEmail = await _client.GetAsync(new Uri("/v1/customers/shared@example.com/attributes?id_type=email", UriKind.Relative), Ct);
        var search = await GetJsonAsync("/v1/customers?email=shared@example.com");

        byEmail.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await byEmail.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("id_only");
        search.GetProperty("results").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task TheAppApiHasItsOwnRateLimit()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:RateLimit:RequestsPerSecond", "1");
        using var client = factory.AppClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct)));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        limited.ShouldNotBeEmpty();
        limited[0].Headers.RetryAfter.ShouldNotBeNull();
        (await limited[0].ReadJsonAsync()).GetProperty("errors")[0].GetProperty("reason").GetString().ShouldBe("rate_limited");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private async Task<string> IdentifyAsync(string id, string json)
    {
        var attributes = JsonDocument.Parse(json).RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => AttributeValue.TryFromJson(p.Value, out var v) ? v : throw new InvalidOperationException(p.Name));
        var people = _factory.Services.GetRequiredService<PeopleService>();
        var result = await people.ExecuteAsync(new OperationContext(_workspaceId, Sources.Api), new IdentifyOperation(PersonReference.ForId(id), attributes), Ct);
        result.Status.ShouldNotBe(OperationStatus.Rejected, result.Error?.Message);
        return result.CioId!;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return await response.ReadJsonAsync();
    }
}

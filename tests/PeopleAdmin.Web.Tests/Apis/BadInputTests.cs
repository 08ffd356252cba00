using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>
/// What every API does with bad input at its front door: text that is not valid Unicode, bodies of other types,
/// methods a path does not take, times no calendar holds, unreadable identifiers. A 400 (or 405, 415) that says what,
/// where and why, and nothing applied.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    public static TheoryData<string, string, string> JsonEndpoints => new()
    {
        // method, path, client
        { "PUT", "/api/v1/customers/person-1", "track" },
        { "POST", "/api/v1/customers/person-1/events", "track" },
        { "POST", "/api/v1/events", "track" },
        { "POST", "/api/v2/entity", "track" },
        { "POST", "/api/v2/batch", "track" },
        { "POST", "/v1/segments", "app" },
        { "PUT", "/api/admin/v1/workspaces/1/settings", "admin" },
        { "POST", "/api/admin/v1/workspaces", "admin" },
    };

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task ABodyThatIsNotUtf8Answers400Whole(string method, string path, string client)
    {
        using var http = Client(client);
        byte[] body = [.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        using var response = await SendAsync(http, method, path, body, "application/json");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetRawText().ShouldContain("not valid UTF-8");
    }

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task ABodyDeclaredAsAnotherTypeAnswers415(string method, string path, string client)
    {
        using var http = Client(client);

        using var response = await SendAsync(http, method, path, "{}"u8.ToArray(), "text/plain");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.ReadJsonAsync()).GetRawText().ShouldContain("text/plain");
    }

    [Theory]
    [InlineData("""{"bio":"x\ud800"}""", "bio")]
    [InlineData("""{"\udc00":"x"}""", "(a property name)")]
    [InlineData("""{"address":{"city":"\ud800"}}""", "address.city")]
    public async Task ALoneSurrogateAnywhereInAV1BodyAnswers400NamingWhere(string json, string where)
    {
        using var http = _factory.TrackClient();

        using var response = await http.PutAsync(new Uri("/api/v1/customers/person-1", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = await response.V1ErrorAsync();
        message.ShouldContain(where);
        message.ShouldContain("not valid Unicode");
        (await GetAttributesAsync("person-1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALoneSurrogateInOneBatchItemFailsThatItemAlone()
    {
        using var http = _factory.TrackClient();
        const string json = """
            {"batch": [
              {"type": "person", "action": "identify", "identifiers": {"id": "good-1"}},
              {"type": "person", "action": "event", "identifiers": {"id": "good-1"}, "name": "bought", "attributes": {"items": [{"sku": "\ud800"}]}},
              {"type": "person", "action": "identify", "identifiers": {"id": "good-2"}}
            ]}
            """;

        using var response = await http.PostAsync(new Uri("/api/v2/batch", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus);
        var error = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("batch_index").GetInt32().ShouldBe(1);
        error.GetProperty("field").GetString().ShouldBe("attributes.items[0].sku");
        (await GetAttributesAsync("good-2")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A207ListsTheFirstHundredErrorsAndCountsTheRest()
    {
        using var http = _factory.TrackClient();
        var items = string.Join(",", Enumerable.Repeat("{}", 20_000));

        using var response = await http.PostAsync(new Uri("/api/v2/batch", UriKind.Relative), Json($$"""{"batch":[{{items}}]}"""), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus);
        var body = await response.ReadJsonAsync();
        body.GetProperty("errors").GetArrayLength().ShouldBe(100);
        body.GetProperty("errors")[99].GetProperty("batch_index").GetInt32().ShouldBe(99);
        body.GetProperty("errors_omitted").GetInt32().ShouldBe(19_900);
        (await response.Content.ReadAsByteArrayAsync(Ct)).Length.ShouldBeLessThan(20_000);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.customer+json")]
    [InlineData(null)]
    public async Task JsonIsReadUnderAnyJsonTypeOrNone(string? contentType)
    {
        using var http = _factory.TrackClient();

        using var response = await SendAsync(http, "PUT", "/api/v1/customers/typed", """{"plan":"pro"}"""u8.ToArray(), contentType);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TrackV1TakesFormEncodedBodiesAsCustomerIosClassicApiDoes()
    {
        using var http = _factory.TrackClient();

        using var identify = await http.PutAsync(
            new Uri("/api/v1/customers/formed", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "formed@example.com", ["plan"] = "pro plan" }),
            Ct);
        using var tracked = await http.PostAsync(
            new Uri("/api/v1/customers/formed/events", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "bought", ["data[sku]"] = "a+b" }),
            Ct);

        identify.StatusCode.ShouldBe(HttpStatusCode.OK);
        tracked.StatusCode.ShouldBe(HttpStatusCode.OK);
        var customer = (await (await GetAttributesAsync("formed")).ReadJsonAsync()).GetProperty("customer");
        customer.GetProperty("attributes").GetProperty("plan").GetString().ShouldBe("pro plan");
        customer.GetProperty("attributes").GetProperty("email").GetString().ShouldBe("formed@example.com");
        using var app = _factory.AppClient();
        var activities = await (await app.GetAsync(new Uri("/v1/customers/formed/activities?type=event", UriKind.Relative), Ct)).ReadJsonAsync();
        activities.GetProperty("activities")[0].GetProperty("data").GetProperty("sku").GetString().ShouldBe("a+b");
    }

    [Fact]
    public async Task TheFormsApiTakesItsDataFormEncodedToo()
    {
        using var http = _factory.TrackClient();

        using var response = await http.PostAsync(
            new Uri("/api/v1/forms/newsletter/submit", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["data[email]"] = "formed@example.com", ["data[plan]"] = "pro" }),
            Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var customer = (await (await GetAttributesAsync("formed@example.com")).ReadJsonAsync()).GetProperty("customer");
        customer.GetProperty("attributes").GetProperty("plan").GetString().ShouldBe("pro");
    }

    [Fact]
    public async Task TrackV2DoesNotTakeFormEncodedBodies()
    {
        using var http = _factory.TrackClient();

        using var response = await http.PostAsync(
            new Uri("/api/v2/entity", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "person" }), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("GET", "/api/v1/customers/person-1", "DELETE, PUT")]
    [InlineData("PATCH", "/api/v1/events", "POST")]
    [InlineData("GET", "/api/v2/batch", "POST")]
    [InlineData("DELETE", "/v1/segments", "GET, POST")]
    [InlineData("POST", "/api/admin/v1/workspaces/1/settings", "GET, PUT")]
    public async Task AMethodAPathDoesNotTakeAnswers405WithAllow(string method, string path, string allow)
    {
        using var http = _factory.TrackClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        string.Join(", ", response.Content.Headers.Allow).ShouldBe(allow);
        (await response.ReadJsonAsync()).GetRawText().ShouldContain($"does not take {method}");
    }

    [Fact]
    public async Task APathThatMatchesARouteOnlyByItsShapeIsStillNotFound()
    {
        using var http = _factory.AdminClient();

        using var response = await http.PostAsync(new Uri("/api/admin/v1/workspaces/not-a-number/settings", UriKind.Relative), Json("{}"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"device":{"id":"t1","platform":"ios","last_used":99999999999999}}""", "last_used")]
    [InlineData("""{"device":{"id":"t1","platform":"ios","last_used":-5}}""", "last_used")]
    public async Task ADeviceLastUsedNoCalendarHoldsAnswers400(string json, string field)
    {
        using var http = _factory.TrackClient();
        await http.PutAsync(new Uri("/api/v1/customers/person-1", UriKind.Relative), Json("{}"), Ct);

        using var response = await http.PutAsync(new Uri("/api/v1/customers/person-1/devices", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldContain(field);
    }

    [Fact]
    public async Task AFarFutureTimestampAnswers400AndFreezesNothing()
    {
        using var http = _factory.TrackClient();

        using var frozen = await http.PutAsync(new Uri("/api/v1/customers/person-1", UriKind.Relative), Json("""{"plan":"gold","_timestamp":999999999999999}"""), Ct);
        using var later = await http.PutAsync(new Uri("/api/v1/customers/person-1", UriKind.Relative), Json("""{"plan":"silver"}"""), Ct);

        frozen.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await frozen.V1ErrorAsync()).ShouldContain("more than 24 hours ahead");
        later.StatusCode.ShouldBe(HttpStatusCode.OK);
        var customer = (await (await GetAttributesAsync("person-1")).ReadJsonAsync()).GetProperty("customer");
        customer.GetProperty("attributes").GetProperty("plan").GetString().ShouldBe("silver");
    }

    [Theory]
    [InlineData("%20%20%20")]
    [InlineData("a%E2%80%8Bb")]
    [InlineData("a%E2%80%AEb")]
    [InlineData("a%01b")]
    public async Task AnUnreadablePathIdentifierAnswers400(string identifier)
    {
        using var http = _factory.TrackClient();

        using var response = await http.PutAsync(new Uri($"/api/v1/customers/{identifier}", UriKind.Relative), Json("{}"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldContain(TextRules.ReasonUnreadableIdentifier);
    }

    private HttpClient Client(string kind) => kind switch
    {
        "track" => _factory.TrackClient(),
        "app" => _factory.AppClient(),
        _ => _factory.AdminClient(),
    };

    private async Task<HttpResponseMessage> GetAttributesAsync(string id)
    {
        using var app = _factory.AppClient();
        var idType = id.Contains('@', StringComparison.Ordinal) ? "?id_type=email" : "";
        return await app.GetAsync(new Uri($"/v1/customers/{Uri.EscapeDataString(id)}/attributes{idType}", UriKind.Relative), Ct);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content }, Ct);
    }
}

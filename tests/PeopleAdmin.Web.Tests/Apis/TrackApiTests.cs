using System.Net;
using System.Net.Http.Headers;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>The Track API's front door and wire details: auth, error shapes, limits, routes. No identity rule is needed here.</summary>
[BothStores]
public sealed class TrackApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    public static TheoryData<string, string> Endpoints => new()
    {
        { "PUT", "/api/v1/customers/person-1" },
        { "DELETE", "/api/v1/customers/person-1" },
        { "POST", "/api/v1/customers/person-1/suppress" },
        { "POST", "/api/v1/customers/person-1/unsuppress" },
        { "POST", "/api/v1/customers/person-1/events" },
        { "PUT", "/api/v1/customers/person-1/devices" },
        { "DELETE", "/api/v1/customers/person-1/devices/token-1" },
        { "POST", "/api/v1/events" },
        { "POST", "/api/v1/merge_customers" },
        { "POST", "/api/v1/segments/1/add_customers" },
        { "POST", "/api/v1/segments/1/remove_customers" },
        { "GET", "/api/v1/accounts/region" },
        { "POST", "/api/v2/entity" },
        { "POST", "/api/v2/batch" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryEndpointAnswers401WithAJsonBodyWithoutCredentials(string method, string path)
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var body = await response.ReadJsonAsync();
        if (path.StartsWith("/api/v2", StringComparison.Ordinal))
        {
            body.GetProperty("errors")[0].GetProperty("reason").GetString().ShouldBe("unauthorized");
        }
        else
        {
            body.GetProperty("meta").GetProperty("errors")[0].GetString()!.ShouldContain("site_id:track_api_key");
        }
    }

    [Theory]
    [InlineData("wrong key")]
    [InlineData("app key")]
    [InlineData("unknown site")]
    [InlineData("not basic")]
    [InlineData("not base64")]
    [InlineData("no colon")]
    public async Task WrongCredentialsAnswer401(string kind)
    {
        using var client = _factory.CreateClient();
        var header = kind switch
        {
            "wrong key" => new AuthenticationHeaderValue("Basic", Basic(SiteId, "wrong")),
            "app key" => new AuthenticationHeaderValue("Basic", Basic(SiteId, AppKey)),
            "unknown site" => new AuthenticationHeaderValue("Basic", Basic("unknown", TrackKey)),
            "not basic" => new AuthenticationHeaderValue("Bearer", TrackKey),
            "not base64" => new AuthenticationHeaderValue("Basic", "%%%"),
            _ => new AuthenticationHeaderValue("Basic", Convert.ToBase64String("nocolon"u8.ToArray())),
        };
        client.DefaultRequestHeaders.Authorization = header;

        using var response = await client.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.V1ErrorAsync()).ShouldContain("Unauthorized");
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public async Task BasicCredentialsAreAcceptedInTheStandardAndTheUrlSafeAlphabet(bool urlSafe, bool padded)
    {
        var standard = Basic(SiteId, TrackKey);
        standard.ShouldContain("+");
        standard.ShouldContain("/");
        var encoded = urlSafe ? standard.Replace('+', '-').Replace('/', '_') : standard;
        encoded = padded ? encoded : encoded.TrimEnd('=');
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", encoded);

        using var response = await client.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RegionAnswersTheConfiguredPublicAddressWhateverHostTheRequestNames()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:PublicBaseUrl", "https://people.example.com/");
        using var client = factory.TrackClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/accounts/region");
        request.Headers.Host = "attacker.example.net";

        using var response = await client.SendAsync(request, Ct);

        var body = await response.ReadJsonAsync();
        body.GetProperty("url").GetString().ShouldBe("https://people.example.com");
        body.GetProperty("region").GetString().ShouldBe("us");
        body.TryGetProperty("environment_id", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task RegionAnswersTheListenAddressWhenNoPublicAddressIsConfigured()
    {
        using var kestrel = _factory.CreateKestrelClient();
        kestrel.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Basic(SiteId, TrackKey));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/accounts/region");
        request.Headers.Host = "attacker.example.net";

        using var response = await kestrel.SendAsync(request, Ct);

        var body = await response.ReadJsonAsync();
        var port = kestrel.BaseAddress!.Port;
        body.GetProperty("url").GetString().ShouldBeOneOf($"http://127.0.0.1:{port}", $"http://localhost:{port}");
    }

    [Theory]
    [InlineData("people.example.com")]
    [InlineData("ftp://people.example.com")]
    [InlineData("https://people.example.com/?a=1")]
    [InlineData("https://user:secret@people.example.com")]
    public void AStartWithAnUnusablePublicAddressIsRefusedNamingTheSetting(string value)
    {
        using var factory = CreateFactory().With("PeopleAdmin:PublicBaseUrl", value);

        var error = Should.Throw<Exception>(() => factory.CreateClient());

        error.ToString().ShouldContain("PeopleAdmin__PublicBaseUrl");
    }

    [Fact]
    public async Task RepeatedFailedAuthenticationFromOneAddressIsRateLimited()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:RateLimit:FailedAuthenticationsPerMinute", "2");
        using var client = factory.TrackClient(key: "wrong");
        var uri = new Uri("/api/v1/accounts/region", UriKind.Relative);

        using var first = await client.GetAsync(uri, Ct);
        using var second = await client.GetAsync(uri, Ct);
        using var third = await client.GetAsync(uri, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        second.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.ShouldNotBeNull();
        (await third.V1ErrorAsync()).ShouldContain("failed authentications");
    }

    [Fact]
    public async Task AWorkspaceOverItsRateLimitGets429WithRetryAfterAndAJsonBody()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:RateLimit:RequestsPerSecond", "1");
        using var client = factory.TrackClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        limited.ShouldNotBeEmpty();
        limited[0].Headers.RetryAfter!.Delta.ShouldNotBeNull();
        (await limited[0].V1ErrorAsync()).ShouldContain("rate limit");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("PUT", "/api/v1/customers/person-1", "{\"name\": ")]
    [InlineData("POST", "/api/v1/customers/person-1/events", "not json")]
    [InlineData("POST", "/api/v1/events", "[1, 2")]
    [InlineData("POST", "/api/v1/merge_customers", "{\"primary\": {\"id\": \"a\"}")]
    public async Task MalformedJsonAnswers400InTheV1Shape(string method, string path, string body)
    {
        using var client = _factory.TrackClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldContain("not valid JSON");
    }

    [Theory]
    [InlineData("PUT", "/api/v1/customers/person-1", "[]", "must be a JSON object")]
    [InlineData("PUT", "/api/v1/customers/person-1", "{\"plan\": 1e400}", "Attribute 'plan' is a number out of range")]
    [InlineData("PUT", "/api/v1/customers/person-1", "{\"email\": [\"a@example.com\"]}", "email cannot be a JSON array or object")]
    [InlineData("POST", "/api/v1/customers/person-1/events", "{}", "name is required")]
    [InlineData("POST", "/api/v1/customers/person-1/events", "{\"name\": 5}", "name must be a string; it was a number")]
    [InlineData("POST", "/api/v1/customers/person-1/events", "{\"name\": \"x\", \"type\": \"click\"}", "type must be one of event, page, screen")]
    [InlineData("POST", "/api/v1/customers/person-1/events", "{\"name\": \"x\", \"timestamp\": \"soon\"}", "timestamp must be a unix timestamp")]
    [InlineData("POST", "/api/v1/customers/person-1/events", "{\"name\": \"x\", \"data\": [1]}", "data must be a JSON object")]
    [InlineData("POST", "/api/v1/events", "{\"name\": \"x\", \"anonymous_id\": 7}", "anonymous_id must be a string")]
    [InlineData("PUT", "/api/v1/customers/person-1/devices", "{}", "device is required")]
    [InlineData("PUT", "/api/v1/customers/person-1/devices", "{\"device\": {\"platform\": \"ios\"}}", "device.id is required")]
    [InlineData("PUT", "/api/v1/customers/person-1/devices", "{\"device\": {\"id\": \"t\"}}", "device.platform is required")]
    [InlineData("PUT", "/api/v1/customers/person-1/devices", "{\"device\": {\"id\": \"t\", \"platform\": \"ios\", \"last_used\": true}}", "device.last_used must be a unix timestamp")]
    [InlineData("POST", "/api/v1/merge_customers", "{\"secondary\": {\"id\": \"b\"}}", "primary is required")]
    [InlineData("POST", "/api/v1/merge_customers", "{\"primary\": {\"id\": \"a\", \"email\": \"a@x.com\"}, \"secondary\": {\"id\": \"b\"}}", "exactly one identifier")]
    [InlineData("POST", "/api/v1/merge_customers", "{\"primary\": {\"id\": \"a\"}, \"secondary\": {\"phone\": \"1\"}}", "phone is not an identifier here")]
    [InlineData("POST", "/api/v1/merge_customers", "{\"primary\": {\"id\": \"\"}, \"secondary\": {\"id\": \"b\"}}", "primary.id must not be empty")]
    [InlineData("POST", "/api/v1/segments/1/add_customers", "{}", "ids is required")]
    [InlineData("POST", "/api/v1/segments/1/add_customers", "{\"ids\": []}", "between 1 and 1000")]
    [InlineData("POST", "/api/v1/segments/1/add_customers", "{\"ids\": [true]}", "ids[0] must be a non-empty string")]
    [InlineData("POST", "/api/v1/segments/1/add_customers?id_type=phone", "{\"ids\": [\"a\"]}", "id_type must be id, email or cio_id")]
    [InlineData("POST", "/api/v1/segments/abc/add_customers", "{\"ids\": [\"a\"]}", "segment_id must be a manual segment's number")]
    [InlineData("PUT", "/api/v1/customers/cio_", "{}", "cio_ must be followed by the person's cio_id")]
    public async Task WrongShapesAnswer400NamingTheField(string method, string path, string body, string message)
    {
        using var client = _factory.TrackClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldContain(message);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/customers/person-1", 1024 * 1024)]
    [InlineData("POST", "/api/v1/customers/person-1/events", 1024 * 1024)]
    [InlineData("POST", "/api/v1/events", 1024 * 1024)]
    [InlineData("POST", "/api/v2/entity", 32 * 1024)]
    [InlineData("POST", "/api/v2/batch", 500 * 1024)]
    public async Task BodiesOverTheirLimitAnswer413WithAJsonBody(string method, string path, int limit)
    {
        using var client = _factory.TrackClient();
        var padding = new string('x', limit);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json($"{{\"name\": \"{padding}\"}}") }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var body = await response.ReadJsonAsync();
        body.GetRawText().ShouldContain($"({limit} bytes)");
    }

    [Fact]
    public async Task ABodyJustUnderTheEntityLimitIsNotRefusedForItsSize()
    {
        using var client = _factory.TrackClient();
        var prefix = "{\"type\":\"person\",\"action\":\"identify\",\"identifiers\":{\"id\":\"a\"},\"attributes\":{\"note\":\"";
        var json = prefix + new string('x', (32 * 1024) - prefix.Length - 3) + "\"}}";
        json.Length.ShouldBe(32 * 1024);

        using var response = await client.PostAsync(new Uri("/api/v2/entity", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldNotBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{\"action\": \"identify\", \"identifiers\": {\"id\": \"a\"}}", "type", "type is required")]
    [InlineData("{\"type\": \"person\", \"identifiers\": {\"id\": \"a\"}}", "action", "action is required")]
    [InlineData("{\"type\": \"person\", \"action\": \"fly\", \"identifiers\": {\"id\": \"a\"}}", "action", "action must be one of")]
    [InlineData("{\"type\": \"person\", \"action\": \"identify\"}", "identifiers", "identifiers is required")]
    [InlineData("{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": \"a\", \"email\": \"a@x.com\"}}", "identifiers", "exactly one identifier")]
    [InlineData("{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": \"a\"}, \"attributes\": {\"x\": -1e400}}", "attributes.x", "Attribute 'x' is a number out of range")]
    [InlineData("{\"type\": \"person\", \"action\": \"event\", \"identifiers\": {\"id\": \"a\"}}", "name", "name is required")]
    [InlineData("{\"type\": \"person\", \"action\": \"add_device\", \"identifiers\": {\"id\": \"a\"}, \"device\": {\"platform\": \"ios\"}}", "device.token", "device.token is required")]
    [InlineData("{\"type\": \"person\", \"action\": \"delete_device\", \"identifiers\": {\"id\": \"a\"}}", "device", "device is required")]
    [InlineData("{\"type\": \"person\", \"action\": \"merge\", \"primary\": {\"id\": \"a\"}}", "secondary", "secondary is required")]
    [InlineData("{\"type\": \"delivery\", \"action\": \"opened\"}", "type", "Delivery operations are not available")]
    public async Task BadV2OperationsAnswer400InTheV2Shape(string json, string field, string message)
    {
        using var client = _factory.TrackClient();

        using var response = await client.PostAsync(new Uri("/api/v2/entity", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await response.V2ErrorAsync();
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("message").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task ABatchListsItsBadItemsByIndexIn207()
    {
        using var client = _factory.TrackClient();
        var big = new string('x', 33 * 1024);
        var json = $$$"""
            {"batch": [
              {"type": "object", "action": "identify", "identifiers": {"object_type_id": "1", "object_id": "acme"}},
              {"type": "person", "action": "identify"},
              {"type": "person", "action": "identify", "identifiers": {"id": "big"}, "attributes": {"note": "{{{big}}}"}},
              "not an object"
            ]}
            """;

        using var response = await client.PostAsync(new Uri("/api/v2/batch", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("batch_index").GetInt32()).ShouldBe([0, 1, 2, 3]);
        errors[0].GetProperty("message").GetString()!.ShouldStartWith("object type \"1\" does not exist in this workspace");
        errors[1].GetProperty("field").GetString().ShouldBe("identifiers");
        errors[2].GetProperty("reason").GetString().ShouldBe("too_large");
        errors[3].GetProperty("message").GetString()!.ShouldContain("must be a JSON object");
    }

    [Theory]
    [InlineData("{}", "batch is required")]
    [InlineData("{\"batch\": {}}", "batch is required")]
    [InlineData("[]", "must be a JSON object")]
    public async Task ABatchWithoutABatchArrayAnswers400(string json, string message)
    {
        using var client = _factory.TrackClient();

        using var response = await client.PostAsync(new Uri("/api/v2/batch", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V2ErrorAsync()).GetProperty("message").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task RandomBytesAnswer400AndNoStackTrace()
    {
        using var client = _factory.TrackClient();
        var random = new Random(42);
        foreach (var path in new[] { "/api/v1/customers/p1", "/api/v1/events", "/api/v2/entity", "/api/v2/batch" })
        {
            var bytes = new byte[4096];
            random.NextBytes(bytes);
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

            using var response = await client.SendAsync(new HttpRequestMessage(path.EndsWith("p1", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, path) { Content = content }, Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, path);
            var text = (await response.ReadJsonAsync()).GetRawText();
            text.ShouldNotContain("   at ");
            text.ShouldNotContain("Exception");
        }
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/api/v2/nothing-here")]
    [InlineData("GET", "/v1/nothing-here")]
    public async Task UnknownApiPathsAnswerAJson404(string method, string path)
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ReadJsonAsync()).GetRawText().ShouldContain("There is no");
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Snippet;

/// <summary>The browser snippet's endpoints (<c>/api/v1/browser/</c>): the site id alone, CORS for the allowed origins, public-source rules.</summary>
public sealed class SnippetApiTests : IAsyncLifetime
{
    private const string Shop = "https://shop.example.com";

    private PeopleAdminFactory _factory = null!;
    private HttpClient _browser = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory().With("PeopleAdmin:Snippet:RequestsPerMinutePerAddress", "6");
        _browser = _factory.CreateClient();
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _factory.DisposeAsync();
    }

    private PeopleService People => _factory.Services.GetRequiredService<PeopleService>();

    private async Task AllowOriginsAsync(params string[] origins)
    {
        var settings = await People.ExecuteAsync(new OperationContext(_workspaceId, Sources.Ui), new ChangeSettingsOperation(new SettingsPatch { AllowedOrigins = origins }), Ct);
        settings.Status.ShouldBe(OperationStatus.Applied);
        await _factory.Services.GetRequiredService<WorkspaceDirectory>().InvalidateAsync(_workspaceId, Ct);
    }

    /// <summary>As the snippet sends it: JSON as text/plain (no CORS preflight), the site id in the query.</summary>
    private async Task<HttpResponseMessage> SendAsync(string path, string json, string? origin = Shop, string siteId = SiteId, string contentType = "text/plain")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/browser/{path}?site_id={siteId}", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await _browser.SendAsync(request, Ct);
    }

    [Fact]
    public async Task AnIdentifySentAsTextPlainCreatesThePersonWithTheSnippetAsSource()
    {
        // Act
        using var response = await SendAsync("identify", """{"id":"visitor-1","email":"v@example.com","plan":"pro","anonymous_id":"anon-1"}""");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("{}");
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Shop]);
        var person = await People.GetPersonAsync(_workspaceId, PersonReference.ForId("visitor-1"), Ct);
        person!.Email.ShouldBe("v@example.com");
        person.Attributes.ShouldContain(a => a.Name == "plan" && a.Value == "pro");
        var activity = await People.GetActivityAsync(new ActivityQuery(_workspaceId, person.CioId, [ActivityTypes.ProfileCreate], 10, null), Ct);
        activity.Items.Single().Source.ShouldBe(Sources.Snippet);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("text/plain; charset=utf-8")]
    public async Task TheEndpointsTakeJsonAsJsonOrAsTextPlain(string contentType)
    {
        // Act
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/browser/events?site_id={SiteId}", UriKind.Relative))
        {
            Content = new ByteArrayContent("""{"name":"viewed","anonymous_id":"anon-1"}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _browser.SendAsync(request, Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnAnonymousPageViewJoinsThePersonWhoIdentifiesWithItsAnonymousIdAndLaterEventsFollow()
    {
        // Arrange
        (await SendAsync("events", """{"name":"https://shop.example.com/","type":"page","anonymous_id":"anon-1"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Act
        (await SendAsync("identify", """{"id":"visitor-1","anonymous_id":"anon-1"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SendAsync("events", """{"name":"purchased","customer_id":"visitor-1","data":{"amount":20}}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Assert
        var person = await People.GetPersonAsync(_workspaceId, PersonReference.ForId("visitor-1"), Ct);
        var activity = await People.GetActivityAsync(new ActivityQuery(_workspaceId, person!.CioId, [ActivityTypes.Page, ActivityTypes.Event], 10, null), Ct);
        activity.Items.Select(i => i.Name).ShouldBe(["purchased", "https://shop.example.com/"]);
    }

    [Fact]
    public async Task AnOriginThatIsNotAllowedIsRefusedWith403AndNothingIsWritten()
    {
        // Arrange
        await AllowOriginsAsync(Shop);

        // Act
        using var response = await SendAsync("identify", """{"id":"visitor-1"}""", origin: "https://evil.example.net");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.V1ErrorAsync()).ShouldContain("https://evil.example.net is not among this workspace's allowed origins");
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://evil.example.net"]);
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("visitor-1"), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task AnAllowedOriginIsAnswered()
    {
        // Arrange
        await AllowOriginsAsync(Shop);

        // Act
        using var response = await SendAsync("identify", """{"id":"visitor-1"}""", origin: Shop);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task APreflightIsAnsweredWithTheMethodAndHeadersTheEndpointsTake()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/api/v1/browser/identify", UriKind.Relative));
        request.Headers.Add("Origin", Shop);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type, x-site-id");

        // Act
        using var response = await _browser.SendAsync(request, Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Shop]);
        response.Headers.GetValues("Access-Control-Allow-Methods").ShouldBe(["POST"]);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ShouldContain("X-Site-Id");
    }

    [Fact]
    public async Task TheSiteIdMayComeAsAHeader()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/browser/identify", UriKind.Relative)) { Content = Json("""{"id":"visitor-1"}""") };
        request.Headers.Add("X-Site-Id", SiteId);

        // Act
        using var response = await _browser.SendAsync(request, Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("visitor-1"), Ct)).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("", "The site id is missing")]
    [InlineData("nosuchsite", "'nosuchsite' is not the site id of a workspace.")]
    public async Task AnUnknownOrMissingSiteIdIsAnswered401WithJson(string siteId, string message)
    {
        // Act
        using var response = await SendAsync("identify", """{"id":"visitor-1"}""", siteId: siteId);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.V1ErrorAsync()).ShouldContain(message);
    }

    [Theory]
    [InlineData("identify", """{"plan":"pro"}""", "identify needs an id or an email")]
    [InlineData("identify", """{"id":"cio_1"}""", "a public source never references people by cio_id")]
    [InlineData("identify", "not json", "The request body is not valid JSON")]
    [InlineData("events", """{"anonymous_id":"anon-1"}""", "name")]
    [InlineData("events", """{"name":"purchased","customer_id":"cio_1"}""", "a public source never references people by cio_id")]
    public async Task BadInputIsAnswered400NamingWhatIsWrong(string path, string json, string message)
    {
        // Act
        using var response = await SendAsync(path, json);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldContain(message);
    }

    [Fact]
    public async Task OneAddressOverItsRateLimitGets429WithRetryAfter()
    {
        // Arrange: the factory allows 6 requests a minute per address.
        for (var i = 0; i < 6; i++)
        {
            (await SendAsync("events", """{"name":"viewed","anonymous_id":"anon-1"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Act
        using var response = await SendAsync("events", """{"name":"viewed","anonymous_id":"anon-1"}""");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await response.V1ErrorAsync()).ShouldContain("Too many requests from this address");
    }

    [Fact]
    public async Task TheScriptIsServedAtJsTrackJs()
    {
        // Act
        using var response = await _browser.GetAsync(new Uri("/js/track.js", UriKind.Relative), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("/api/v1/browser/");
    }

    [Fact]
    public async Task AnotherContentTypeIsAnswered415WithJson()
    {
        // Act
        using var response = await SendAsync("identify", "<id>visitor-1</id>", contentType: "application/xml");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.V1ErrorAsync()).ShouldContain("application/xml");
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("visitor-1"), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheEndpointsWithTheSiteIdAsTheirOnlyCredential()
    {
        // Act
        var document = JsonDocument.Parse(await _browser.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct)).RootElement;

        // Assert
        foreach (var path in new[] { "/api/v1/browser/identify", "/api/v1/browser/events" })
        {
            var post = document.GetProperty("paths").GetProperty(path).GetProperty("post");
            post.GetProperty("security")[0].EnumerateObject().Select(s => s.Name).ShouldBe(["browser_site_id"]);
            post.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).ShouldBe(["application/json", "text/plain"], ignoreOrder: true);
        }
    }
}

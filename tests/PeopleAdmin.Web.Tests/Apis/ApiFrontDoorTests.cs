using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.ManagementApi;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>
/// The APIs' front door on ASP.NET Core's own parts: a scheme per credential kind, the policies and rate limits that the
/// groups declare, the workspace and path text bound as parameters, and refusals that keep their exact bodies.
/// </summary>
public sealed class ApiFrontDoorTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("TrackBasic", typeof(TrackBasicHandler))]
    [InlineData("AppBearer", typeof(AppBearerHandler))]
    [InlineData("ManagementToken", typeof(ManagementTokenHandler))]
    public async Task EachCredentialKindHasItsOwnAuthenticationScheme(string name, Type handler)
    {
        var schemes = _factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        var scheme = await schemes.GetSchemeAsync(name);

        scheme.ShouldNotBeNull();
        scheme.HandlerType.ShouldBe(handler);
    }

    [Fact]
    public void EveryEndpointOfAnApiGroupRequiresItsCredentialsAndCarriesItsRateLimit()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ApiErrorShape>() is not null)
            .ToList();

        var wrong = endpoints
            .Select(e => (Route: e.RoutePattern.RawText!, Expected: Expected(e.RoutePattern.RawText!), Endpoint: e))
            .Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || !e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == e.Expected.Policy)
                || e.Endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName != e.Expected.RateLimit)
            .Select(e => e.Route)
            .ToList();

        endpoints.Count.ShouldBeGreaterThan(40);
        endpoints.ShouldContain(e => e.RoutePattern.RawText == "/v1/imports/{importId:long}");
        endpoints.ShouldContain(e => e.RoutePattern.RawText == "/api/v1/forms/{formId}/submit");
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnEndpointAddedToTheAppGroupFromAnotherFeatureInheritsItsAuthenticationAndRateLimit()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:RateLimit:RequestsPerSecond", "1");
        using var anonymous = factory.CreateClient();
        using var app = factory.AppClient();
        var import = new Uri("/v1/imports/12345", UriKind.Relative);

        using var refused = await anonymous.GetAsync(import, Ct);
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => app.GetAsync(import, Ct)));

        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        responses.ShouldContain(r => r.StatusCode == HttpStatusCode.NotFound);
        responses.ShouldContain(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task TheTrackApiBindsTheWorkspaceOfTheCredentialsSent()
    {
        var second = await _factory.CreateWorkspaceAsync("Second");
        using var client = _factory.TrackClient(second.Keys.SiteId, second.Keys.TrackApiKey);

        using var response = await client.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetProperty("environment_id").GetInt32().ShouldBe(second.Workspace.Id);
    }

    [Fact]
    public async Task TheAppApiBindsTheWorkspaceOfTheKeySent()
    {
        var second = await _factory.CreateWorkspaceAsync("Second");
        using var secondApp = _factory.AppClient(second.Keys.AppApiKey);
        using var firstApp = _factory.AppClient();

        using var created = await secondApp.PostAsync(new Uri("/v1/segments", UriKind.Relative), Json("""{"segment": {"name": "Only in the second"}}"""), Ct);
        using var firstList = await firstApp.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct);
        using var secondList = await secondApp.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct);

        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await firstList.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Only in the second");
        (await secondList.Content.ReadAsStringAsync(Ct)).ShouldContain("Only in the second");
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        {
            "GET", "/api/v1/accounts/region", "",
            """{"meta":{"errors":["Unauthorized request: send HTTP Basic credentials site_id:track_api_key of a workspace."]}}"""
        },
        {
            "POST", "/api/v2/entity", "Basic " + Basic(SiteId, "wrong"),
            """{"errors":[{"reason":"unauthorized","field":"Authorization","message":"Unauthorized request: send HTTP Basic credentials site_id:track_api_key of a workspace."}]}"""
        },
        {
            "POST", "/api/v1/forms/contact/submit", "Bearer " + AppKey,
            """{"meta":{"errors":["Unauthorized request: send HTTP Basic credentials site_id:track_api_key of a workspace."]}}"""
        },
        {
            "GET", "/v1/segments", "Basic " + Basic(SiteId, TrackKey),
            """{"meta":{"error":"Unauthorized request: send 'Authorization: Bearer <app_api_key>' with a workspace's App API key."},"errors":[{"reason":"unauthorized","field":"Authorization","message":"Unauthorized request: send 'Authorization: Bearer <app_api_key>' with a workspace's App API key."}]}"""
        },
        {
            "GET", "/api/admin/v1/workspaces", "Bearer " + AppKey,
            """{"meta":{"error":"Unauthorized request: send 'Authorization: Bearer <token>' with a personal API token (made on /account/tokens) or the token set in PeopleAdmin__Admin__ApiToken; an expired or revoked token is refused."},"errors":[{"reason":"unauthorized","field":"Authorization","message":"Unauthorized request: send 'Authorization: Bearer <token>' with a personal API token (made on /account/tokens) or the token set in PeopleAdmin__Admin__ApiToken; an expired or revoked token is refused."}]}"""
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task AnUnauthenticatedRequestGetsItsApisExact401Body(string method, string path, string authorization, string expected)
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") };
        if (authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe(expected);
    }

    [Fact]
    public async Task AWorkspaceOverItsOwnRateLimitGetsTheExact429BodyOfItsApi()
    {
        using var admin = _factory.AdminClient();
        using var settings = await admin.PutAsync(new Uri("/api/admin/v1/workspaces/1/settings", UriKind.Relative), Json("""{"rate_limit_per_second": 1}"""), Ct);
        settings.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var track = _factory.TrackClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => track.PostAsync(new Uri("/api/v2/entity", UriKind.Relative), Json("{}"), Ct)));

        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        (await limited.Content.ReadAsStringAsync(Ct)).ShouldBe(
            """{"errors":[{"reason":"rate_limited","field":"","message":"Over this workspace's rate limit of 1 requests per second."}]}""");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task AnAddressThatFailsTooOftenGetsTheExact429BodyOfTheApiItTried()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:RateLimit:FailedAuthenticationsPerMinute", "1");
        using var client = factory.AppClient("wrong");

        using var first = await client.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct);
        using var second = await client.GetAsync(new Uri("/v1/segments", UriKind.Relative), Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        second.Headers.RetryAfter!.Delta.ShouldNotBeNull();
        (await second.Content.ReadAsStringAsync(Ct)).ShouldBe(
            """{"meta":{"error":"Too many failed authentications from this address; wait before trying again."},"errors":[{"reason":"rate_limited","field":"","message":"Too many failed authentications from this address; wait before trying again."}]}""");
    }

    [Theory]
    [InlineData("/v1/customers/{identifier}/attributes", "/v1/customers/team%2Fsales%252F/attributes", "identifier", "team/sales%2F")]
    [InlineData("/v1/objects/{object_type_id}/{object_id}/attributes", "/v1/objects/1/caf%C3%A9%20bar/attributes", "object_id", "café bar")]
    [InlineData("/api/v1/customers/{identifier}/devices/{token}", "/api/v1/customers/a/devices/t%2B1?x=%2F", "token", "t+1")]
    public async Task APathParameterBindsToTheSegmentOfItsNameDecodedOnce(string route, string rawTarget, string name, string expected)
    {
        var http = WithEndpoint(route, rawTarget);

        var bound = await PathText.BindAsync(http, Parameter(name));

        bound!.Value.ShouldBe(expected);
    }

    [Fact]
    public async Task APathParameterWithoutASegmentOfItsNameIsAMistakeThatFailsLoudly()
    {
        var http = WithEndpoint("/v1/customers/{identifier}", "/v1/customers/a");

        var failure = await Should.ThrowAsync<InvalidOperationException>(async () => await PathText.BindAsync(http, Parameter("token")));

        failure.Message.ShouldContain("{token}");
    }

    [Fact]
    public async Task TheWorkspaceCannotBindWhereNoTrackOrAppSchemeAuthenticated()
    {
        var http = WithEndpoint("/api/admin/v1/workspaces", "/api/admin/v1/workspaces");

        await Should.ThrowAsync<InvalidOperationException>(async () => await ApiWorkspace.BindAsync(http, Parameter("workspace")));
    }

    private static (string Policy, string? RateLimit) Expected(string route) =>
        route.StartsWith("/api/admin/", StringComparison.Ordinal) ? (PeopleAdmin.Web.Features.Operators.Policies.ManagementRead, null)
        : route.StartsWith("/api/", StringComparison.Ordinal) ? (ApiPolicies.Track, ApiPolicies.Track)
        : (ApiPolicies.App, ApiPolicies.App);

    private static DefaultHttpContext WithEndpoint(string route, string rawTarget)
    {
        var http = new DefaultHttpContext();
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        http.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(route), 0, EndpointMetadataCollection.Empty, route));
        return http;
    }

    private static ParameterInfo Parameter(string name) =>
        typeof(ApiFrontDoorTests).GetMethod(nameof(Parameters), BindingFlags.NonPublic | BindingFlags.Static)!.GetParameters().Single(p => p.Name == name);

    // The parameters that the binding tests hand to BindAsync, named as handlers name theirs.
#pragma warning disable IDE0060, CA1707
    private static void Parameters(PathText identifier, PathText object_id, PathText token, ApiWorkspace workspace)
    {
    }
#pragma warning restore IDE0060, CA1707
}

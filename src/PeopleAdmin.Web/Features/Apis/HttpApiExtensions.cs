using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace PeopleAdmin.Web.Features.Apis;

internal static class HttpApiExtensions
{
    /// <summary>
    /// What the HTTP APIs share: snake_case JSON (Customer.io's wire format), an authentication scheme per credential
    /// kind with the policies that name them, the workspaces' rate limits, the admin token.
    /// </summary>
    public static WebApplicationBuilder AddHttpApis(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.RequestsPerSecond > 0, "PeopleAdmin__RateLimit__RequestsPerSecond must be a positive number.")
            .Validate(o => o.FailedAuthenticationsPerMinute > 0, "PeopleAdmin__RateLimit__FailedAuthenticationsPerMinute must be a positive number.")
            .ValidateOnStart();
        builder.Services.AddOptions<AdminApiOptions>().BindConfiguration(AdminApiOptions.Section);
        builder.Services.AddSingleton<FailedAuthentications>();
        builder.Services.AddAuthentication().AddApiSchemes();
        builder.Services.AddAuthorizationBuilder().AddApiPolicies();
        builder.Services.AddRateLimiter(options => options
            .AddPolicy<(int, int), WorkspaceRateLimitPolicy>(ApiPolicies.Track)
            .AddPolicy<(int, int), WorkspaceRateLimitPolicy>(ApiPolicies.App));
        builder.Services.AddSingleton<ApiRoutes>();
        return builder;
    }

    /// <summary>
    /// Unknown paths under the API prefixes answer a JSON 404, never the HTML not-found page; a known path asked with a
    /// method it does not take answers 405 with <c>Allow</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapApiNotFound(this IEndpointRouteBuilder endpoints)
    {
        foreach (var prefix in new[] { "/api", "/v1" })
        {
            endpoints.MapFallback(prefix + "/{**path}", NotFound).AllowAnonymous().ExcludeFromDescription();
        }

        return endpoints;
    }

    private static IResult NotFound(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var path = http.Request.Path.Value ?? "";
        var shape = path.StartsWith("/api/v2", StringComparison.Ordinal) ? ErrorShape.TrackV2
            : path.StartsWith("/api/v1", StringComparison.Ordinal) ? ErrorShape.TrackV1
            : ErrorShape.App;
        var allowed = http.RequestServices.GetRequiredService<ApiRoutes>().MethodsOf(http);
        if (allowed.Count > 0)
        {
            http.Response.Headers.Allow = string.Join(", ", allowed);
            return ApiErrors.Create(shape, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "method", $"{path} does not take {http.Request.Method}; it takes {string.Join(", ", allowed)}.");
        }

        return ApiErrors.Create(shape, StatusCodes.Status404NotFound, "not_found", "path", $"There is no {http.Request.Method} {path} endpoint.");
    }
}

/// <summary>
/// The API endpoints' route templates and methods, read once from the app's endpoints: routing lets the catch-all
/// fallback win over its own 405, so the fallback asks here whether the path exists with other methods.
/// </summary>
internal sealed class ApiRoutes(EndpointDataSource endpoints, ParameterPolicyFactory policies)
{
    private sealed record Route(TemplateMatcher Matcher, IReadOnlyList<(string Name, IRouteConstraint Constraint)> Constraints, IReadOnlyList<string> Methods);

    private readonly Lazy<IReadOnlyList<Route>> _routes = new(() =>
    [
        .. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("**", StringComparison.Ordinal)
                && e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .Select(e => new Route(
                new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!.TrimStart('/')), []),
                [.. e.RoutePattern.Parameters.SelectMany(p => p.ParameterPolicies.Select(r => (p.Name, Policy: policies.Create(p, r))))
                    .Where(c => c.Policy is IRouteConstraint).Select(c => (c.Name, (IRouteConstraint)c.Policy))],
                e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)),
    ]);

    /// <summary>The methods that some endpoint takes at the request's path (constraints such as <c>:int</c> included); empty when none matches it.</summary>
    public IReadOnlyList<string> MethodsOf(HttpContext http) =>
        [.. _routes.Value.Where(r => Matches(r, http)).SelectMany(r => r.Methods).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    private static bool Matches(Route route, HttpContext http)
    {
        var values = new RouteValueDictionary();
        return route.Matcher.TryMatch(http.Request.Path, values)
            && route.Constraints.All(c => c.Constraint.Match(http, null, c.Name, values, RouteDirection.IncomingRequest));
    }
}

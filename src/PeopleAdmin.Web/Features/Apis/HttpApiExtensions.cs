using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace PeopleAdmin.Web.Features.Apis;

internal static class HttpApiExtensions
{
    /// <summary>What the HTTP APIs share: snake_case JSON (Customer.io's wire format), rate limits, the admin token.</summary>
    public static WebApplicationBuilder AddHttpApis(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.RequestsPerSecond > 0, "PeopleAdmin__RateLimit__RequestsPerSecond must be a positive number.")
            .Validate(o => o.FailedAuthenticationsPerMinute > 0, "PeopleAdmin__RateLimit__FailedAuthenticationsPerMinute must be a positive number.")
            .ValidateOnStart();
        builder.Services.AddOptions<AdminApiOptions>().BindConfiguration(AdminApiOptions.Section);
        builder.Services.AddSingleton<ApiRateLimiter>();
        return builder;
    }

    /// <summary>Unknown paths under the API prefixes answer a JSON 404, never the HTML not-found page.</summary>
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
        return ApiErrors.Create(shape, StatusCodes.Status404NotFound, "not_found", "path", $"There is no {http.Request.Method} {path} endpoint.");
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Snippet;

/// <summary><c>PeopleAdmin:Snippet</c>: the browser snippet's limits, buckets of its own (never the Track API's).</summary>
internal sealed class SnippetOptions
{
    public const string Section = "PeopleAdmin:Snippet";

    /// <summary>Requests one client address may send per minute: page views and events of everyone behind it.</summary>
    public int RequestsPerMinutePerAddress { get; set; } = 600;

    /// <summary>Requests per second into one workspace from all visitors together; the burst is one second's worth.</summary>
    public int RequestsPerSecondPerWorkspace { get; set; } = 1000;
}

/// <summary>
/// The front door of the snippet's endpoints: the site id (query <c>site_id</c> or header <c>X-Site-Id</c>) names the
/// workspace, a page's <c>Origin</c> must be one of its <c>allowed_origins</c> (empty: any), the workspace's bucket is
/// applied, and anything unexpected is a JSON 500. Every answer carries CORS headers for the page's origin, refusals
/// too, so that the snippet can tell the site's developer why (through <c>_cio.on('error', …)</c>).
/// </summary>
internal sealed class SnippetGuard(WorkspaceDirectory directory, FailedAuthentications failures, SnippetWorkspaceLimiter limiter, ILogger<SnippetGuard> logger) : IEndpointFilter
{
    public const string SiteIdHeader = "X-Site-Id";

    /// <summary>JSON as JSON, and as text/plain: what a browser sends without a preflight and what a beacon sends.</summary>
    public static readonly string[] JsonTypes = ["application/json", "text/plain"];
    private const string WorkspaceItem = "PeopleAdmin.SnippetWorkspace";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        AllowOrigin(http);
        try
        {
            var siteId = http.Request.Query["site_id"].ToString() is { Length: > 0 } fromQuery ? fromQuery : http.Request.Headers[SiteIdHeader].ToString();
            var workspace = await directory.FindBySiteIdAsync(siteId, http.RequestAborted);
            if (workspace is null)
            {
                return failures.Record(http) is { } wait
                    ? TooManyRequests(http, wait, "Too many requests with unknown site ids from this address; wait before trying again.")
                    : Error(StatusCodes.Status401Unauthorized, siteId.Length == 0
                        ? "The site id is missing: load /js/track.js with Customer.io's loader and its data-site-id attribute, or send ?site_id=."
                        : $"'{siteId}' is not the site id of a workspace.");
            }

            if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin && !AllowedOrigins.Allows(workspace.Settings.AllowedOrigins, origin))
            {
                return Error(StatusCodes.Status403Forbidden, $"The origin {origin} is not among this workspace's allowed origins (Settings > General).");
            }

            if (!IsJson(http.Request.ContentType))
            {
                return Error(StatusCodes.Status415UnsupportedMediaType, $"The body's Content-Type {http.Request.ContentType} is not JSON; send application/json or text/plain.");
            }

            if (limiter.TryAcquire(workspace.Id) is { } busy)
            {
                return TooManyRequests(http, busy, "Over this workspace's limit for the browser snippet; wait before trying again.");
            }

            http.Items[WorkspaceItem] = workspace;
            return await next(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(exception, "Browser snippet request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            return Error(StatusCodes.Status500InternalServerError, "The server failed to handle the request; nothing was changed. The error is logged.");
        }
    }

    /// <summary>No Content-Type reads as JSON, as on the other JSON APIs; so do any <c>+json</c> type and the two above.</summary>
    private static bool IsJson(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || (MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } type
            && (JsonTypes.Contains(type, StringComparer.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    public static WorkspaceIdentity Workspace(HttpContext http) =>
        http.Items[WorkspaceItem] as WorkspaceIdentity ?? throw new InvalidOperationException("The snippet guard did not run for this endpoint.");

    /// <summary>A CORS preflight: the methods and headers the endpoints take. It reveals nothing and changes nothing.</summary>
    public static IResult Preflight(HttpContext http)
    {
        AllowOrigin(http);
        http.Response.Headers.AccessControlAllowMethods = HttpMethods.Post;
        http.Response.Headers.AccessControlAllowHeaders = "Content-Type, " + SiteIdHeader;
        http.Response.Headers.AccessControlMaxAge = "86400";
        return TypedResults.NoContent();
    }

    /// <summary>The snippet never sends cookies to PeopleAdmin (its own cookie is the site's), so any origin may read the answer.</summary>
    public static void AllowOrigin(HttpContext http)
    {
        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.Vary = "Origin";
        }
    }

    public static IResult Error(int status, string message) =>
        TypedResults.Json(new V1ErrorBody(new V1ErrorMeta([message])), statusCode: status);

    public static IResult TooManyRequests(HttpContext http, TimeSpan wait, string message)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status429TooManyRequests, message);
    }
}

/// <summary>The per-address limit, through ASP.NET Core's rate limiting middleware: a token bucket per client address.</summary>
internal sealed class SnippetRateLimitPolicy(IOptions<SnippetOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "browser-snippet";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        var http = context.HttpContext;
        SnippetGuard.AllowOrigin(http);
        var wait = PublicRateLimits.RetryAfter(context.Lease);
        await SnippetGuard.TooManyRequests(http, wait, "Too many requests from this address; wait before sending more.").ExecuteAsync(http);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        PublicRateLimits.PerAddress(httpContext, options.Value.RequestsPerMinutePerAddress);
}

/// <summary>The per-workspace bucket of the snippet: visitors from many addresses together cannot flood one workspace.</summary>
internal sealed class SnippetWorkspaceLimiter(IOptions<SnippetOptions> options)
    : WorkspaceBuckets(options.Value.RequestsPerSecondPerWorkspace, TimeSpan.FromSeconds(1));

internal static class SnippetServiceExtensions
{
    public static WebApplicationBuilder AddSnippet(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SnippetOptions>().BindConfiguration(SnippetOptions.Section)
            .Validate(o => o.RequestsPerMinutePerAddress > 0, "PeopleAdmin__Snippet__RequestsPerMinutePerAddress must be a positive number.")
            .Validate(o => o.RequestsPerSecondPerWorkspace > 0, "PeopleAdmin__Snippet__RequestsPerSecondPerWorkspace must be a positive number.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SnippetWorkspaceLimiter>();
        builder.Services.AddRateLimiter(options => options.AddPolicy<string, SnippetRateLimitPolicy>(SnippetRateLimitPolicy.Name));
        return builder;
    }
}

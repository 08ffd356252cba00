using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Features.Apis;

internal enum ApiKind
{
    Track,
    App,
    Management,
}

/// <summary><c>PeopleAdmin:RateLimit</c>.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "PeopleAdmin:RateLimit";

    /// <summary>Requests per second per workspace, for the Track API and again for the App API; the burst is one second's worth.</summary>
    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>Failed authentications a client address may make per minute before it gets 429s.</summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 60;
}

/// <summary><c>PeopleAdmin:Admin</c>: the management API's bearer token.</summary>
internal sealed class AdminApiOptions
{
    public const string Section = "PeopleAdmin:Admin";

    public string? ApiToken { get; set; }
}

/// <summary>
/// Token buckets (System.Threading.RateLimiting, what ASP.NET Core's rate limiting middleware uses) partitioned by
/// API and workspace, and by client address for failed authentications. A workspace's own
/// <c>rate_limit_per_second</c> is part of its partition key, so a changed setting takes effect at once.
/// </summary>
internal sealed class ApiRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(ApiKind Api, int WorkspaceId, int Limit)> _workspaces;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly int _defaultPerSecond;

    public ApiRateLimiter(IOptions<RateLimitOptions> options)
    {
        _defaultPerSecond = Math.Max(1, options.Value.RequestsPerSecond);
        var failuresPerMinute = Math.Max(1, options.Value.FailedAuthenticationsPerMinute);
        _workspaces = PartitionedRateLimiter.Create<(ApiKind Api, int WorkspaceId, int Limit), (ApiKind, int, int)>(key =>
            RateLimitPartition.GetTokenBucketLimiter(key, k => new TokenBucketRateLimiterOptions
            {
                TokenLimit = k.Item3,
                TokensPerPeriod = k.Item3,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            }));
        _failures = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = failuresPerMinute,
                TokensPerPeriod = failuresPerMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Null when the request may go on; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(ApiKind api, WorkspaceIdentity workspace)
    {
        using var lease = _workspaces.AttemptAcquire((api, workspace.Id, workspace.RateLimitPerSecond ?? _defaultPerSecond));
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Counts a failed authentication: null while the address has failures left, otherwise how long it must wait.</summary>
    public TimeSpan? RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);

    public void Dispose()
    {
        _workspaces.Dispose();
        _failures.Dispose();
    }
}

/// <summary>
/// The front door of every API group: turns HTML status pages off for the request, authenticates with the API's
/// own credentials (never the operators' cookie), applies the rate limits, and answers anything unexpected with a
/// JSON 500 that holds no internals.
/// </summary>
internal sealed class ApiGuard(ApiKind api, ErrorShape shape) : IEndpointFilter
{
    private const string WorkspaceItem = "PeopleAdmin.ApiWorkspace";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var limiter = http.RequestServices.GetRequiredService<ApiRateLimiter>();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        try
        {
            var (workspace, authenticated) = await AuthenticateAsync(http);
            if (!authenticated)
            {
                if (limiter.RecordFailure(address) is { } wait)
                {
                    return TooManyRequests(http, wait, "Too many failed authentications from this address; wait before trying again.");
                }

                return ApiErrors.Create(shape, StatusCodes.Status401Unauthorized, "unauthorized", "Authorization", Unauthorized());
            }

            if (workspace is not null)
            {
                if (limiter.TryAcquire(api, workspace) is { } wait)
                {
                    return TooManyRequests(http, wait, $"Over this workspace's rate limit of {workspace.RateLimitPerSecond?.ToString(CultureInfo.InvariantCulture) ?? "the configured"} requests per second.");
                }

                http.Items[WorkspaceItem] = workspace;
            }

            return await next(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PeopleAdmin.Apis")
                .LogError(exception, "{Api} API request {Method} {Route} failed", api, http.Request.Method, http.GetEndpoint()?.DisplayName);
            return ApiErrors.Create(shape, StatusCodes.Status500InternalServerError, "internal", "", "The server failed to handle the request; nothing was changed. The error is logged.");
        }
    }

    /// <summary>The workspace that the request's credentials belong to (null for the management API, which spans workspaces).</summary>
    public static WorkspaceIdentity Workspace(HttpContext http) =>
        http.Items[WorkspaceItem] as WorkspaceIdentity ?? throw new InvalidOperationException("The API guard did not run for this endpoint.");

    private string Unauthorized() => api switch
    {
        ApiKind.Track => "Unauthorized request: send HTTP Basic credentials site_id:track_api_key of a workspace.",
        ApiKind.App => "Unauthorized request: send 'Authorization: Bearer <app_api_key>' with a workspace's App API key.",
        _ => "Unauthorized request: send 'Authorization: Bearer <token>' with a personal API token or the token set in PeopleAdmin__Admin__ApiToken.",
    };

    private IResult TooManyRequests(HttpContext http, TimeSpan wait, string message)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ApiErrors.Create(shape, StatusCodes.Status429TooManyRequests, "rate_limited", "", message);
    }

    private async ValueTask<(WorkspaceIdentity? Workspace, bool Authenticated)> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var directory = http.RequestServices.GetRequiredService<WorkspaceDirectory>();
        switch (api)
        {
            case ApiKind.Track:
                if (!TryParseBasic(header, out var siteId, out var key))
                {
                    return (null, false);
                }

                var track = await directory.AuthenticateTrackAsync(siteId, key, http.RequestAborted);
                return (track, track is not null);
            case ApiKind.App:
                if (!TryParseBearer(header, out var appKey))
                {
                    return (null, false);
                }

                var app = await directory.AuthenticateAppAsync(appKey, http.RequestAborted);
                return (app, app is not null);
            default:
                // The management API's token was checked by its authentication handler before the endpoint ran.
                return (null, http.User.Identity?.IsAuthenticated == true);
        }
    }

    internal static bool TryParseBearer(string header, out string token)
    {
        token = "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header["Bearer ".Length..].Trim();
        return token.Length > 0;
    }

    /// <summary>HTTP Basic in the standard or the URL-safe base64 alphabet (go-customerio sends the latter), padded or not.</summary>
    internal static bool TryParseBasic(string header, out string user, out string password)
    {
        user = password = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header["Basic ".Length..].Trim().Replace('-', '+').Replace('_', '/');
        if (encoded.Length > 1024)
        {
            return false;
        }

        encoded = encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return password.Length > 0;
    }
}

internal static class ApiGuardExtensions
{
    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>
    /// Documents a JSON body. The handler reads the body and answers 415 for a type it does not take; routing must
    /// let every type through (<c>*/*</c>, which the OpenAPI document leaves out), or the API fallback, which takes
    /// any type, would win every request that declares none or another one.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.Accepts<TRequest>(isOptional: true, "application/json", "application/*+json", AnyType);

    /// <summary>A JSON body, or the same fields form-encoded (Track v1, as Customer.io's classic API takes them).</summary>
    public static RouteHandlerBuilder AcceptsJsonOrForm<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.Accepts<TRequest>(isOptional: true, "application/json", "application/*+json", FormType, AnyType);

    public const string AnyType = "*/*";

    private static readonly int[] ErrorStatuses =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
        StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests,
        StatusCodes.Status500InternalServerError,
    ];

    /// <summary>
    /// Gives a group its own authentication, rate limit and JSON errors, clear of the operators' sign-in. The management
    /// API authenticates through ASP.NET Core (its token handler and policies); the others in the guard itself.
    /// </summary>
    public static RouteGroupBuilder WithApiGuard(this RouteGroupBuilder group, ApiKind api, ErrorShape shape)
    {
        if (api == ApiKind.Management)
        {
            group.RequireAuthorization(Operators.Policies.ManagementRead);
            group.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(AppErrorBody), ["application/json"]));
        }
        else
        {
            group.AllowAnonymous();
        }

        group.AddEndpointFilter(new ApiGuard(api, shape));
        var errorBody = shape switch
        {
            ErrorShape.TrackV1 => typeof(V1ErrorBody),
            ErrorShape.TrackV2 => typeof(V2ErrorBody),
            _ => typeof(AppErrorBody),
        };
        foreach (var status in ErrorStatuses)
        {
            group.WithMetadata(new ProducesResponseTypeMetadata(status, errorBody, ["application/json"]));
        }

        return group;
    }
}

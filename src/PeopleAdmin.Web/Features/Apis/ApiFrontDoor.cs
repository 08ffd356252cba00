using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Apis;

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
/// Failed authentications per client address (a token bucket of System.Threading.RateLimiting), counted by the API
/// schemes and the snippet: an address that guesses keys gets 429s instead of answers.
/// </summary>
internal sealed class FailedAuthentications : IDisposable
{
    private readonly PartitionedRateLimiter<string> _addresses;

    public FailedAuthentications(IOptions<RateLimitOptions> options)
    {
        var perMinute = Math.Max(1, options.Value.FailedAuthenticationsPerMinute);
        _addresses = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetTokenBucketLimiter(address, _ => PublicRateLimits.Bucket(perMinute, TimeSpan.FromMinutes(1))));
    }

    /// <summary>Counts a failure of the request's address: null while it has failures left, otherwise how long it must wait.</summary>
    public TimeSpan? Record(HttpContext http)
    {
        using var lease = _addresses.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired ? null : WorkspaceRateLimitPolicy.RetryAfter(lease);
    }

    public void Dispose() => _addresses.Dispose();
}

/// <summary>
/// The Track and App APIs' rate limit, through ASP.NET Core's rate limiting middleware (which runs after
/// authorization, so the workspace is known): a token bucket per workspace, one second's worth deep. The workspace's own
/// <c>rate_limit_per_second</c> is part of the partition key, so a changed setting takes effect at once.
/// </summary>
internal sealed class WorkspaceRateLimitPolicy(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<(int WorkspaceId, int Limit)>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        var http = context.HttpContext;
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var limit = http.Features.Get<ApiWorkspace>()?.RateLimitPerSecond?.ToString(CultureInfo.InvariantCulture) ?? "the configured";
        http.Response.Headers.RetryAfter = ApiCredentialsHandler.RetryAfterSeconds(RetryAfter(context.Lease));
        await ApiErrors.Create(http.GetEndpoint()?.Metadata.GetMetadata<ApiErrorShape>()?.Shape ?? ErrorShape.App, StatusCodes.Status429TooManyRequests,
            "rate_limited", "", $"Over this workspace's rate limit of {limit} requests per second.").ExecuteAsync(http);
    };

    public RateLimitPartition<(int WorkspaceId, int Limit)> GetPartition(HttpContext httpContext)
    {
        var workspace = httpContext.Features.Get<ApiWorkspace>()
            ?? throw new InvalidOperationException($"{httpContext.GetEndpoint()?.DisplayName} has a workspace rate limit but no Track or App authorization policy.");
        var key = (workspace.Id, workspace.RateLimitPerSecond ?? Math.Max(1, options.Value.RequestsPerSecond));
        return RateLimitPartition.GetTokenBucketLimiter(key, k => PublicRateLimits.Bucket(k.Item2, TimeSpan.FromSeconds(1)));
    }

    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
}

/// <summary>Endpoint metadata: the error body an API group speaks, for refusals made before its handlers run.</summary>
internal sealed record ApiErrorShape(ErrorShape Shape);

/// <summary>
/// The last line of every API group: turns HTML status pages off for the request and answers anything unexpected with
/// a JSON 500 that holds no internals.
/// </summary>
internal sealed class ApiErrorFilter(ErrorShape shape) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        try
        {
            return await next(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PeopleAdmin.Apis")
                .LogError(exception, "API request {Method} {Route} failed", http.Request.Method, http.GetEndpoint()?.DisplayName);
            return ApiErrors.Create(shape, StatusCodes.Status500InternalServerError, "internal", "", "The server failed to handle the request; nothing was changed. The error is logged.");
        }
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
    /// Gives a group its JSON errors: the shape that refusals before the handlers (401, 429) take, the JSON 500, and the
    /// error responses of its OpenAPI document. The group declares its authorization and rate limit itself.
    /// </summary>
    public static RouteGroupBuilder WithApiErrors(this RouteGroupBuilder group, ErrorShape shape, params int[] moreStatuses)
    {
        group.WithMetadata(new ApiErrorShape(shape)).AddEndpointFilter(new ApiErrorFilter(shape));
        var errorBody = shape switch
        {
            ErrorShape.TrackV1 => typeof(V1ErrorBody),
            ErrorShape.TrackV2 => typeof(V2ErrorBody),
            _ => typeof(AppErrorBody),
        };
        foreach (var status in ErrorStatuses.Concat(moreStatuses))
        {
            group.WithMetadata(new ProducesResponseTypeMetadata(status, errorBody, ["application/json"]));
        }

        return group;
    }
}

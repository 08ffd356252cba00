using System.Threading.RateLimiting;

namespace PeopleAdmin.Web.Infrastructure;

/// <summary>
/// The token buckets of the public sources (hosted forms, the browser snippet), each source with buckets of its own,
/// never the Track API's: one per client address (the forwarded one behind a trusted proxy), for ASP.NET Core's rate
/// limiting middleware, and one per workspace (<see cref="WorkspaceBuckets"/>).
/// </summary>
internal static class PublicRateLimits
{
    public static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Bucket(perMinute, TimeSpan.FromMinutes(1)));

    /// <summary>How long a rejected caller should wait: the bucket's own answer, else a minute.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);

    public static TokenBucketRateLimiterOptions Bucket(int tokens, TimeSpan period) => new()
    {
        TokenLimit = tokens,
        TokensPerPeriod = tokens,
        ReplenishmentPeriod = period,
        QueueLimit = 0,
    };
}

/// <summary>A bucket per workspace: a flood from many addresses together cannot fill one workspace.</summary>
internal abstract class WorkspaceBuckets(int tokens, TimeSpan period) : IDisposable
{
    private readonly PartitionedRateLimiter<int> _workspaces = PartitionedRateLimiter.Create<int, int>(workspaceId =>
        RateLimitPartition.GetTokenBucketLimiter(workspaceId, _ => PublicRateLimits.Bucket(tokens, period)));

    /// <summary>Null when the request may go on; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(int workspaceId)
    {
        using var lease = _workspaces.AttemptAcquire(workspaceId);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : period;
    }

    public void Dispose() => _workspaces.Dispose();
}

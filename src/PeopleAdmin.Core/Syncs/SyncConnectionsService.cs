using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

/// <summary>What the page and the API send for a connection; the password in the clear, on its way to being encrypted.</summary>
public sealed record SyncConnectionInput(string Name, SyncSourceKind Kind, string Host, int Port, string Database, string User, string? Password, SyncSslMode SslMode);

/// <summary>A connection as it may be shown: never its password.</summary>
public sealed record SyncConnectionSummary(long Id, string Name, SyncSourceKind Kind, string Host, int Port, string Database, string User, SyncSslMode SslMode, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>Test connection's answer: null when everything worked, else the stage that failed and why.</summary>
public sealed record ConnectionTestOutcome(SyncSourceException? Failure, TimeSpan? RetryAfter = null)
{
    public bool RateLimited => RetryAfter is not null;
}

/// <summary>
/// A workspace's sync connections, a context per operation. The password is encrypted with Data Protection (the key ring
/// lives in the data folder) and decrypted only to connect. Test connection is limited per workspace, so that the
/// console cannot be used to scan a network's ports.
/// </summary>
public sealed class SyncConnectionsService(IDbContextFactory<PeopleAdminDbContext> factory, IDataProtectionProvider dataProtection, TimeProvider time, SyncSourceLimiter limiter)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("PeopleAdmin.Syncs.ConnectionPassword.v1");

    public async Task<IReadOnlyList<SyncConnectionSummary>> ListAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var connections = await db.SyncConnections.AsNoTracking().Where(c => c.WorkspaceId == workspaceId).OrderBy(c => c.Name).ToListAsync(ct);
        return [.. connections.Select(Summary)];
    }

    public async Task<SyncConnectionSummary?> GetAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var connection = await db.SyncConnections.AsNoTracking().FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Id == id, ct);
        return connection is null ? null : Summary(connection);
    }

    /// <summary>Creates a connection (<paramref name="id"/> null) or changes one; a change without a password keeps the stored one.</summary>
    public async Task<(SyncConnectionSummary? Connection, RequestError? Error)> SaveAsync(int workspaceId, long? id, SyncConnectionInput input, CancellationToken ct)
    {
        if (Validate(input, requirePassword: id is null) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Workspaces.AnyAsync(w => w.Id == workspaceId, ct))
        {
            return (null, new RequestError(ErrorKind.NotFound, "id", $"there is no workspace {workspaceId}"));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        SyncConnection? connection;
        if (id is null)
        {
            connection = new SyncConnection { WorkspaceId = workspaceId, Name = "", Host = "", Database = "", User = "", ProtectedPassword = "", CreatedMs = now };
            db.SyncConnections.Add(connection);
        }
        else if ((connection = await db.SyncConnections.FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Id == id, ct)) is null)
        {
            return (null, NotFound(id.Value));
        }

        connection.Name = input.Name.Trim();
        connection.Kind = input.Kind;
        connection.Host = input.Host.Trim();
        connection.Port = input.Port;
        connection.Database = input.Database.Trim();
        connection.User = input.User.Trim();
        connection.SslMode = input.SslMode;
        connection.UpdatedMs = now;
        if (!string.IsNullOrEmpty(input.Password))
        {
            connection.ProtectedPassword = _protector.Protect(input.Password);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique (workspace, name) index turned it away, or something else did.
            if (await NameTakenAsync(workspaceId, connection.Name, connection.Id, ct))
            {
                return (null, new RequestError(ErrorKind.Conflict, "name", $"a connection named \"{connection.Name}\" exists already: choose another name"));
            }

            throw;
        }

        return (Summary(connection), null);
    }

    private async Task<bool> NameTakenAsync(int workspaceId, string name, long exceptId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.SyncConnections.AnyAsync(c => c.WorkspaceId == workspaceId && c.Name == name && c.Id != exceptId, ct);
    }

    /// <summary>Removes a connection that no sync uses.</summary>
    public async Task<RequestError?> DeleteAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var connection = await db.SyncConnections.FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Id == id, ct);
        if (connection is null)
        {
            return NotFound(id);
        }

        var users = await db.Syncs.Where(s => s.ConnectionId == id).Select(s => s.Name).ToListAsync(ct);
        if (users.Count > 0)
        {
            return new RequestError(ErrorKind.Conflict, "connection_id", $"syncs use this connection ({string.Join(", ", users)}): delete them or move them to another connection first");
        }

        db.SyncConnections.Remove(connection);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Tries the connection step by step (<see cref="SourceDatabase.TestAsync"/>), when the workspace's limit allows.</summary>
    public async Task<ConnectionTestOutcome?> TestAsync(int workspaceId, long id, CancellationToken ct)
    {
        var settings = await SettingsAsync(workspaceId, id, ct);
        if (settings is null)
        {
            return null;
        }

        return limiter.TryTest(workspaceId) is { } wait
            ? new ConnectionTestOutcome(null, wait)
            : new ConnectionTestOutcome(await SourceDatabase.For(settings).TestAsync(ct));
    }

    /// <summary>Null when the workspace may run a query on a source now (saving a sync, a preview); otherwise the 429 that says when to try again.</summary>
    public RequestError? ThrottleQuery(int workspaceId)
    {
        if (limiter.TryQuery(workspaceId) is not { } wait)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new RequestError(ErrorKind.RateLimited, "query",
            $"saving a sync and preview run the query on the source database, a limited number of times a minute per workspace; try again in {seconds} seconds")
        { RetryAfter = TimeSpan.FromSeconds(seconds) };
    }

    /// <summary>The connection's settings with the password decrypted, to connect with; null when there is no such connection.</summary>
    public async Task<SourceSettings?> SettingsAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var c = await db.SyncConnections.AsNoTracking().FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Id == id, ct);
        return c is null ? null : new SourceSettings(c.Kind, c.Host, c.Port, c.Database, c.User, _protector.Unprotect(c.ProtectedPassword), c.SslMode);
    }

    public static RequestError? Validate(SyncConnectionInput input, bool requirePassword)
    {
        if ((Text(input.Name, "name", SyncLimits.NameLength) ?? Text(input.Host, "host", SyncLimits.HostLength)
            ?? Text(input.Database, "database", SyncLimits.NameLength) ?? Text(input.User, "user", SyncLimits.NameLength)) is { } text)
        {
            return text;
        }

        if (input.Host.Trim().Any(c => char.IsWhiteSpace(c) || c is '/' or '@' or ';'))
        {
            return Invalid("host", $"host must be a host name or an IP address, such as db.example.com or 10.0.0.5; \"{input.Host}\" is not");
        }

        if (input.Port is < 1 or > 65535)
        {
            return Invalid("port", $"port must be between 1 and 65535; it is {input.Port}");
        }

        if (requirePassword && string.IsNullOrEmpty(input.Password))
        {
            return Invalid("password", "password is required");
        }

        return input.Password is { Length: > 1024 } ? Invalid("password", "password has more than 1024 characters") : null;
    }

    private static RequestError? Text(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? Invalid(field, $"{field} is required")
        : value.Trim().Length > maxLength ? Invalid(field, $"{field} has {value.Trim().Length} characters; the limit is {maxLength}")
        : null;

    private static RequestError Invalid(string field, string message) => new(ErrorKind.Invalid, field, message);

    private static RequestError NotFound(long id) => new(ErrorKind.NotFound, "connection_id", $"there is no connection {id} in this workspace");

    private static SyncConnectionSummary Summary(SyncConnection c) => new(
        c.Id, c.Name, c.Kind, c.Host, c.Port, c.Database, c.User, c.SslMode,
        DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(c.UpdatedMs));
}

/// <summary>
/// What a workspace may ask of source databases per minute, whatever the connection or the way in: Test connection a
/// few times (so that it cannot scan a network's ports), and saving a sync or a preview, which each run the query on the
/// customer's database, somewhat more.
/// </summary>
public sealed class SyncSourceLimiter(int testsPerMinute, int queriesPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<int> _tests = Create(testsPerMinute);
    private readonly PartitionedRateLimiter<int> _queries = Create(queriesPerMinute);

    /// <summary>Null when the workspace may test a connection now; otherwise how long to wait.</summary>
    public TimeSpan? TryTest(int workspaceId) => Wait(_tests, workspaceId);

    /// <summary>Null when the workspace may run a query on a source now (a save, a preview); otherwise how long to wait.</summary>
    public TimeSpan? TryQuery(int workspaceId) => Wait(_queries, workspaceId);

    private static TimeSpan? Wait(PartitionedRateLimiter<int> limiter, int workspaceId)
    {
        using var lease = limiter.AttemptAcquire(workspaceId);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<int> Create(int perMinute) => PartitionedRateLimiter.Create<int, int>(workspaceId =>
        RateLimitPartition.GetTokenBucketLimiter(workspaceId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _tests.Dispose();
        _queries.Dispose();
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Operators;

/// <summary>A personal token as its operator sees it listed: never its secret.</summary>
public sealed record PersonalTokenSummary(int Id, string Name, DateTime CreatedAt, DateTime ExpiresAt, DateTime? LastUsedAt);

/// <summary>A token just made: the only time its secret is known.</summary>
public sealed record CreatedPersonalToken(PersonalTokenSummary Token, string Secret);

/// <summary>Who a presented token acts for: the operator and their role as the database holds them now.</summary>
public sealed record TokenHolder(string OperatorId, string Email, string Role, int TokenId);

/// <summary>
/// Operators' personal tokens for the management API: made with a name and an expiry and shown once, stored as a
/// keyed hash (HMAC-SHA256, the same key as the workspaces' API keys), looked up by that hash and compared in
/// constant time. Nothing is cached, so a revoked token, a deactivated operator or a changed role counts at once.
/// </summary>
public sealed class PersonalTokens(IDbContextFactory<PeopleAdminDbContext> factory, CredentialHashKey hashKey, TimeProvider time)
{
    public const int MaxNameLength = 100;
    public const string SecretPrefix = "pat_";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>How often a token's last use is written, at most: a busy script should not write on every call.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<PersonalTokenSummary>> ListAsync(string operatorId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.PersonalTokens.AsNoTracking()
            .Where(t => t.OperatorId == operatorId)
            .OrderByDescending(t => t.Id)
            .Select(t => new PersonalTokenSummary(t.Id, t.Name, t.CreatedAt, t.ExpiresAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Makes a token; the name is required and the expiry must lie within <see cref="MaxLifetime"/> from now.</summary>
    public async Task<WorkspaceResult<CreatedPersonalToken>> CreateAsync(
        string operatorId, string? name, DateTime expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return Failed("name", "A token needs a name that says what it is for.");
        }

        if (name.Length > MaxNameLength)
        {
            return Failed("name", $"The name is {name.Length} characters; the limit is {MaxNameLength}.");
        }

        expiresAt = expiresAt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc) : expiresAt.ToUniversalTime();
        if (expiresAt <= now)
        {
            return Failed("expires_at", "The expiry must be in the future.");
        }

        if (expiresAt > now + MaxLifetime)
        {
            return Failed("expires_at", $"A token lives at most {MaxLifetime.TotalDays:0} days; choose an earlier expiry.");
        }

        var secret = SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var token = new PersonalToken
        {
            OperatorId = operatorId,
            Name = name,
            SecretHash = hashKey.Hash(secret),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.PersonalTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new WorkspaceResult<CreatedPersonalToken>(new CreatedPersonalToken(Summary(token), secret), null);
    }

    /// <summary>Revokes one of the operator's own tokens; the next request with it is refused. Null when there is no such token.</summary>
    public async Task<PersonalTokenSummary?> RevokeAsync(string operatorId, int tokenId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.PersonalTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.OperatorId == operatorId, cancellationToken);
        if (token is null)
        {
            return null;
        }

        db.PersonalTokens.Remove(token);
        await db.SaveChangesAsync(cancellationToken);
        return Summary(token);
    }

    /// <summary>The holder of a presented secret, or null when it is unknown, expired, or its operator is deactivated.</summary>
    public async Task<TokenHolder?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = hashKey.Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var found = await (
                from token in db.PersonalTokens
                join account in db.Users on token.OperatorId equals account.Id
                where token.SecretHash == hash
                select new
                {
                    token.Id,
                    token.SecretHash,
                    token.ExpiresAt,
                    token.LastUsedAt,
                    account.Email,
                    account.DeactivatedAt,
                    OperatorId = account.Id,
                    Role = (from userRole in db.UserRoles
                            join role in db.Roles on userRole.RoleId equals role.Id
                            where userRole.UserId == account.Id
                            select role.Name).FirstOrDefault(),
                })
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(found.SecretHash), Encoding.ASCII.GetBytes(hash))
            || found.ExpiresAt <= now
            || found.DeactivatedAt is not null
            || OperatorRoles.Find(found.Role) is not { } role)
        {
            return null;
        }

        if (found.LastUsedAt is null || found.LastUsedAt < now - LastUseResolution)
        {
            await db.PersonalTokens.Where(t => t.Id == found.Id)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), cancellationToken);
        }

        return new TokenHolder(found.OperatorId, found.Email ?? "", role, found.Id);
    }

    private static PersonalTokenSummary Summary(PersonalToken token) =>
        new(token.Id, token.Name, token.CreatedAt, token.ExpiresAt, token.LastUsedAt);

    private static WorkspaceResult<CreatedPersonalToken> Failed(string field, string message) =>
        new(null, new RequestError(ErrorKind.Invalid, field, message));
}

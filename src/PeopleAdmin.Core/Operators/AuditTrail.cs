using PeopleAdmin.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.Operators;

/// <summary>The actions the audit trail records; later features add theirs.</summary>
public static class AuditActions
{
    public const string Setup = "operator.setup";
    public const string SignedIn = "operator.signed-in";
    public const string SignInFailed = "operator.sign-in-failed";
    public const string LockedOut = "operator.locked-out";
    public const string SignedOut = "operator.signed-out";
    public const string PasswordChanged = "operator.password-changed";
    public const string PasswordReset = "operator.password-reset";
    public const string OperatorAdded = "operator.added";
}

/// <summary>Writes the operators' audit trail, one context and one transaction per entry.</summary>
public sealed class AuditTrail(IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider time)
{
    public async Task RecordAsync(string action, string? actor, string? detail, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Action = action,
            Actor = Truncate(actor, 256),
            Detail = Truncate(detail, 1000),
            RemoteAddress = Truncate(remoteAddress, 64),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Truncate(string? value, int length) =>
        value is { Length: > 0 } && value.Length > length ? value[..length] : value;
}

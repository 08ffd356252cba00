using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Features.Operators;

internal enum SignInCheck
{
    Succeeded,
    WrongPassword,

    /// <summary>Locked before the attempt (or every attempt of the period is under way): the password was not checked.</summary>
    LockedOut,

    /// <summary>A wrong password that used the period's last attempt and locked the account.</summary>
    LockedNow,

    /// <summary>The right password of an account that may not sign in (deactivated); the caller decides this one.</summary>
    NotAllowed,
}

/// <summary>
/// Counts sign-in attempts in the database, atomically: an attempt takes its place in the account's count before the
/// password is checked, so parallel wrong passwords (from one server or several) can never make more than
/// <see cref="SignInRules.MaxFailedAttempts"/> guesses per lockout period. Identity's own counter reads, adds and
/// writes back, and loses increments under concurrency.
/// </summary>
internal sealed class SignInAttempts(IDbContextFactory<PeopleAdminDbContext> factory, UserManager<Operator> users, TimeProvider clock)
{
    /// <summary>Checks a password against the account within the limit; a locked account's password is not checked.</summary>
    public async Task<SignInCheck> CheckPasswordAsync(Operator account, string password, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var accounts = db.Users.Where(u => u.Id == account.Id);
        var stored = await accounts.AsNoTracking().Select(u => new { u.LockoutEnd, u.AccessFailedCount }).SingleAsync(cancellationToken);
        if (stored.LockoutEnd is { } end && end > now)
        {
            // As long as checking a password, so that timing does not tell a locked account from a wrong password.
            users.PasswordHasher.HashPassword(account, password);
            return SignInCheck.LockedOut;
        }

        if (stored.LockoutEnd is not null)
        {
            // The lockout has run out: the count starts again. Only the attempt that sees it clears it.
            await accounts.Where(u => u.LockoutEnd == stored.LockoutEnd)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null).SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
        }

        var reserved = await accounts.Where(u => u.AccessFailedCount < SignInRules.MaxFailedAttempts && u.LockoutEnd == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken);
        if (reserved == 0)
        {
            users.PasswordHasher.HashPassword(account, password);
            return SignInCheck.LockedOut;
        }

        if (await users.CheckPasswordAsync(account, password))
        {
            await accounts.ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
            return SignInCheck.Succeeded;
        }

        // The attempt that used the last place locks the account; its count stays full until the lockout runs out.
        var lockoutEnd = now + SignInRules.LockoutDuration;
        var locked = await accounts.Where(u => u.AccessFailedCount >= SignInRules.MaxFailedAttempts && u.LockoutEnd == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, lockoutEnd), cancellationToken);
        return locked > 0 ? SignInCheck.LockedNow : SignInCheck.WrongPassword;
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Components.Account;
using PeopleAdmin.Web.Features.Operators;

namespace PeopleAdmin.Web.Features.Team;

/// <summary>An operator as the Team page lists them.</summary>
public sealed record TeamMember(
    string Id, string Email, string Role, bool IsDeactivated, bool MustChangePassword, bool IsLockedOut, DateTime CreatedAt, DateTime? LastSignInAt);

/// <summary>Who asks for a change: the signed-in operator's id and email, and where the request came from.</summary>
public sealed record TeamActor(string Id, string Email, string? RemoteAddress);

/// <summary>The outcome of a change; a generated one-time password is in it once, to be shown once.</summary>
public sealed record TeamResult(bool Succeeded, string Message, string? OneTimePassword = null)
{
    public static TeamResult Refused(string message) => new(false, message);

    /// <summary>The audit entry a change makes, written once its transaction has committed.</summary>
    internal (string Action, string? Detail)? Audit { get; init; }
}

/// <summary>
/// The team's rules, on the server side of every change: only Owners and Admins manage operators; an Admin cannot
/// make anyone an Owner nor change an Owner; the last active Owner can be neither demoted, deactivated nor removed;
/// nobody deactivates or removes themselves. The actor's role is read from the database on every call, so a forged
/// circuit event or a stale role changes nothing. Every change is recorded in the audit trail, and the operator's open
/// circuits hear of it at once (<see cref="OperatorSessions"/>).
/// </summary>
public sealed class TeamService(IServiceScopeFactory scopes, IDbContextFactory<PeopleAdminDbContext> factory, AuditTrail audit, TimeProvider time)
{
    public async Task<IReadOnlyList<TeamMember>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var operators = await (
                from account in db.Users.AsNoTracking()
                orderby account.Email
                select new
                {
                    account.Id,
                    account.Email,
                    account.DeactivatedAt,
                    account.MustChangePassword,
                    account.LockoutEnd,
                    account.CreatedAt,
                    Role = (from userRole in db.UserRoles
                            join role in db.Roles on userRole.RoleId equals role.Id
                            where userRole.UserId == account.Id
                            select role.Name).FirstOrDefault(),
                })
            .ToListAsync(cancellationToken);
        var lastSignIns = await audit.LastSignInsAsync([.. operators.Select(o => o.Email ?? "")], cancellationToken);
        return [.. operators.Select(o => new TeamMember(
            o.Id,
            o.Email ?? "",
            o.Role ?? "",
            o.DeactivatedAt is not null,
            o.MustChangePassword,
            o.LockoutEnd > now,
            o.CreatedAt,
            lastSignIns.TryGetValue(o.Email ?? "", out var at) ? at : null))];
    }

    /// <summary>Adds an operator with a one-time password: generated (and answered once) when none is given.</summary>
    public Task<TeamResult> AddAsync(TeamActor actor, string email, string role, string? password, CancellationToken cancellationToken) =>
        RunAsync(actor, null, async (context, _) =>
        {
            if (OperatorRoles.Find(role) is not { } found)
            {
                return TeamResult.Refused($"There is no role '{role}'. Roles: {string.Join(", ", OperatorRoles.All)}.");
            }

            if (found == OperatorRoles.Owner && context.ActorRole != OperatorRoles.Owner)
            {
                return TeamResult.Refused("Only an Owner can make someone an Owner.");
            }

            email = email.Trim();
            if (await context.Users.FindByEmailAsync(email) is not null)
            {
                return TeamResult.Refused($"An operator with the email address {email} exists already.");
            }

            var generated = string.IsNullOrEmpty(password);
            var oneTime = generated ? SignInRules.GeneratePassword() : password!;
            var (result, added) = await context.Scope.ServiceProvider.GetRequiredService<OperatorAccounts>().AddAsync(email, oneTime, found);
            if (!result.Succeeded)
            {
                return TeamResult.Refused($"{email} was not added: {OperatorExtensions.Describe(result)}");
            }

            added!.MustChangePassword = true;
            await context.Users.UpdateAsync(added);

            return new TeamResult(true, $"Added {added.Email} as {found}. They choose their own password when they first sign in.", generated ? oneTime : null)
            {
                Audit = (AuditActions.OperatorAdded, $"{added.Email} as {found}"),
            };
        }, cancellationToken);

    public Task<TeamResult> ChangeRoleAsync(TeamActor actor, string operatorId, string role, CancellationToken cancellationToken) =>
        RunAsync(actor, operatorId, async (context, target) =>
        {
            if (OperatorRoles.Find(role) is not { } found)
            {
                return TeamResult.Refused($"There is no role '{role}'. Roles: {string.Join(", ", OperatorRoles.All)}.");
            }

            if (found == context.TargetRole)
            {
                return new TeamResult(true, $"{target!.Email} is {found} already.");
            }

            if (found == OperatorRoles.Owner && context.ActorRole != OperatorRoles.Owner)
            {
                return TeamResult.Refused("Only an Owner can make someone an Owner.");
            }

            if (await context.IsLastActiveOwnerAsync(cancellationToken))
            {
                return TeamResult.Refused($"{target!.Email} is the last Owner: make someone else Owner first.");
            }

            await context.Users.RemoveFromRolesAsync(target!, await context.Users.GetRolesAsync(target!));
            var added = await context.Users.AddToRoleAsync(target!, found);
            if (!added.Succeeded)
            {
                throw new InvalidOperationException($"The role {found} could not be given: {OperatorExtensions.Describe(added)}");
            }

            return new TeamResult(true, $"{target!.Email} is now {found}.")
            {
                Audit = (AuditActions.RoleChanged, $"{target.Email}: {context.TargetRole} to {found}"),
            };
        }, cancellationToken);

    /// <summary>Deactivates an operator: they cannot sign in, their tokens are refused, and their open sessions end now.</summary>
    public Task<TeamResult> DeactivateAsync(TeamActor actor, string operatorId, CancellationToken cancellationToken) =>
        RunAsync(actor, operatorId, async (context, target) =>
        {
            if (target!.Id == actor.Id)
            {
                return TeamResult.Refused("You cannot deactivate yourself.");
            }

            if (target.DeactivatedAt is not null)
            {
                return new TeamResult(true, $"{target.Email} is deactivated already.");
            }

            if (await context.IsLastActiveOwnerAsync(cancellationToken))
            {
                return TeamResult.Refused($"{target.Email} is the last Owner and cannot be deactivated.");
            }

            target.DeactivatedAt = time.GetUtcNow().UtcDateTime;
            await context.Users.UpdateAsync(target);
            // A new stamp makes every cookie of theirs invalid at its next request.
            await context.Users.UpdateSecurityStampAsync(target);

            return new TeamResult(true, $"{target.Email} is deactivated; their open sessions have ended.") { Audit = (AuditActions.Deactivated, target.Email) };
        }, cancellationToken);

    public Task<TeamResult> ReactivateAsync(TeamActor actor, string operatorId, CancellationToken cancellationToken) =>
        RunAsync(actor, operatorId, async (context, target) =>
        {
            if (target!.DeactivatedAt is null)
            {
                return new TeamResult(true, $"{target.Email} is active already.");
            }

            target.DeactivatedAt = null;
            await context.Users.UpdateAsync(target);

            return new TeamResult(true, $"{target.Email} is active again and can sign in.") { Audit = (AuditActions.Reactivated, target.Email) };
        }, cancellationToken);

    /// <summary>Gives an operator a one-time password (generated when none is given) and ends a lockout; their sessions end.</summary>
    public Task<TeamResult> ResetPasswordAsync(TeamActor actor, string operatorId, string? password, CancellationToken cancellationToken) =>
        RunAsync(actor, operatorId, async (context, target) =>
        {
            var generated = string.IsNullOrEmpty(password);
            var oneTime = generated ? SignInRules.GeneratePassword() : password!;
            var token = await context.Users.GeneratePasswordResetTokenAsync(target!);
            var reset = await context.Users.ResetPasswordAsync(target!, token, oneTime);
            if (!reset.Succeeded)
            {
                return TeamResult.Refused($"The password was refused: {OperatorExtensions.Describe(reset)}");
            }

            target!.MustChangePassword = true;
            target.LockoutEnd = null;
            target.AccessFailedCount = 0;
            await context.Users.UpdateAsync(target);

            return new TeamResult(true, $"{target.Email} has a one-time password; they choose their own when they next sign in.", generated ? oneTime : null)
            {
                Audit = (AuditActions.PasswordReset, target.Email),
            };
        }, cancellationToken);

    /// <summary>Removes an operator and their tokens; the audit trail keeps their entries.</summary>
    public Task<TeamResult> RemoveAsync(TeamActor actor, string operatorId, CancellationToken cancellationToken) =>
        RunAsync(actor, operatorId, async (context, target) =>
        {
            if (target!.Id == actor.Id)
            {
                return TeamResult.Refused("You cannot remove yourself.");
            }

            if (await context.IsLastActiveOwnerAsync(cancellationToken))
            {
                return TeamResult.Refused($"{target.Email} is the last Owner and cannot be removed.");
            }

            var deleted = await context.Users.DeleteAsync(target);
            if (!deleted.Succeeded)
            {
                throw new InvalidOperationException($"{target.Email} could not be removed: {OperatorExtensions.Describe(deleted)}");
            }

            return new TeamResult(true, $"Removed {target.Email}.") { Audit = (AuditActions.OperatorRemoved, target.Email) };
        }, cancellationToken);

    /// <summary>
    /// Checks the actor and the target, then runs the change in one transaction on a fresh scope (so nothing is held for
    /// a circuit's life, and two changes cannot both take away the last Owner), then tells the target's open circuits.
    /// </summary>
    private async Task<TeamResult> RunAsync(
        TeamActor actor, string? targetId, Func<ChangeContext, Operator?, Task<TeamResult>> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleAdminDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var actorAccount = await users.FindByIdAsync(actor.Id);
        var actorRole = actorAccount is { DeactivatedAt: null } ? RoleOf(await users.GetRolesAsync(actorAccount)) : null;
        if (actorRole is not (OperatorRoles.Owner or OperatorRoles.Admin))
        {
            return TeamResult.Refused("Only Admins and Owners can manage operators.");
        }

        Operator? target = null;
        string? targetRole = null;
        if (targetId is not null)
        {
            target = await users.FindByIdAsync(targetId);
            if (target is null)
            {
                return TeamResult.Refused("That operator does not exist any more.");
            }

            targetRole = RoleOf(await users.GetRolesAsync(target));
            if (targetRole == OperatorRoles.Owner && actorRole != OperatorRoles.Owner)
            {
                return TeamResult.Refused("Only an Owner can change an Owner.");
            }
        }

        var result = await change(new ChangeContext(scope, db, users, actorRole, target, targetRole), target);
        if (!result.Succeeded)
        {
            return result;
        }

        await transaction.CommitAsync(cancellationToken);
        if (result.Audit is var (action, detail))
        {
            await audit.RecordAsync(action, actor.Email, detail, actor.RemoteAddress, cancellationToken);
        }

        if (target is not null)
        {
            await scope.ServiceProvider.GetRequiredService<OperatorSessions>().NotifyAsync(target.Id);
        }

        return result;
    }

    private static string? RoleOf(IList<string> roles) => OperatorRoles.All.FirstOrDefault(roles.Contains);

    private sealed record ChangeContext(
        AsyncServiceScope Scope, PeopleAdminDbContext Db, UserManager<Operator> Users, string ActorRole, Operator? Target, string? TargetRole)
    {
        /// <summary>Whether the target is an active Owner and no other active Owner exists.</summary>
        public async Task<bool> IsLastActiveOwnerAsync(CancellationToken cancellationToken)
        {
            if (TargetRole != OperatorRoles.Owner || Target!.DeactivatedAt is not null)
            {
                return false;
            }

            var others = await (
                    from userRole in Db.UserRoles
                    join role in Db.Roles on userRole.RoleId equals role.Id
                    join account in Db.Users on userRole.UserId equals account.Id
                    where role.Name == OperatorRoles.Owner && account.Id != Target.Id && account.DeactivatedAt == null
                    select account.Id)
                .AnyAsync(cancellationToken);
            return !others;
        }
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Features.Operators;

/// <summary>
/// Tells this instance's open circuits that an operator changed (deactivated, removed, a new role or password), so
/// that each circuit of theirs checks its sign-in again at once instead of at its next periodic revalidation.
/// </summary>
internal sealed class OperatorSessions(ILogger<OperatorSessions> logger)
{
    public event Func<string, Task>? Changed;

    public async Task NotifyAsync(string operatorId)
    {
        if (Changed is not { } changed)
        {
            return;
        }

        foreach (var handler in changed.GetInvocationList().Cast<Func<string, Task>>())
        {
            try
            {
                await handler(operatorId);
            }
            catch (Exception exception)
            {
                // The change is committed; a circuit that could not be told still revalidates within a minute.
                logger.LogWarning(exception, "An open circuit could not be told that operator {OperatorId} changed", operatorId);
            }
        }
    }
}

/// <summary>
/// A deactivated operator cannot sign in (Identity answers NotAllowed). Their password is still checked, and its result
/// ignored, so that the answer takes as long as a wrong password's and does not tell that the account exists.
/// </summary>
internal sealed class OperatorSignInManager(
        UserManager<Operator> users,
        IHttpContextAccessor contextAccessor,
        IUserClaimsPrincipalFactory<Operator> claimsFactory,
        Microsoft.Extensions.Options.IOptions<IdentityOptions> options,
        ILogger<SignInManager<Operator>> logger,
        Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
        IUserConfirmation<Operator> confirmation)
    : SignInManager<Operator>(users, contextAccessor, claimsFactory, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(Operator user) =>
        user.DeactivatedAt is null && await base.CanSignInAsync(user);

    public override Task<SignInResult> CheckPasswordSignInAsync(Operator user, string password, bool lockoutOnFailure)
    {
        if (user.DeactivatedAt is null)
        {
            return base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        }

        UserManager.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", password);
        return Task.FromResult(SignInResult.NotAllowed);
    }
}

/// <summary>Adds <see cref="Policies.PasswordChangeRequiredClaim"/> while an operator holds a one-time password.</summary>
internal sealed class OperatorClaimsPrincipalFactory(
        UserManager<Operator> users,
        RoleManager<IdentityRole> roles,
        Microsoft.Extensions.Options.IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Operator, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Operator user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(Policies.PasswordChangeRequiredClaim, "true"));
        }

        return identity;
    }
}

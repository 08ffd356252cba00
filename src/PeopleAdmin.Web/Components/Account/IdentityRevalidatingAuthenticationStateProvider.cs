using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Operators;

namespace PeopleAdmin.Web.Components.Account;

/// <summary>
/// Checks a circuit's operator against the database: every minute (the backstop when another instance made the
/// change), and at once when <see cref="OperatorSessions"/> says this operator changed. A deactivated or removed
/// operator, or one whose security stamp moved (new password), is signed out of the circuit; a new role applies in place.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly OperatorSessions _sessions;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options, OperatorSessions sessions)
        : base(loggerFactory)
    {
        _scopeFactory = scopeFactory;
        _options = options;
        _sessions = sessions;
        _sessions.Changed += OnOperatorChangedAsync;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A new scope, so that the user manager reads fresh data.
        await using var scope = _scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        return await FindValidAsync(userManager, authenticationState.User) is not null;
    }

    private async Task OnOperatorChangedAsync(string operatorId)
    {
        var state = await GetAuthenticationStateAsync();
        if (state.User.FindFirstValue(_options.Value.ClaimsIdentity.UserIdClaimType) != operatorId)
        {
            return;
        }

        await using var scope = _scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        var user = await FindValidAsync(userManager, state.User);
        var principal = user is null
            ? new ClaimsPrincipal(new ClaimsIdentity())
            : await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<Operator>>().CreateAsync(user);
        SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
    }

    private async Task<Operator?> FindValidAsync(UserManager<Operator> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || user.DeactivatedAt is not null)
        {
            return null;
        }

        var principalStamp = principal.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await userManager.GetSecurityStampAsync(user) ? user : null;
    }

    protected override void Dispose(bool disposing)
    {
        _sessions.Changed -= OnOperatorChangedAsync;
        base.Dispose(disposing);
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace PeopleAdmin.Web.Features.Workspaces;

/// <summary>
/// What the operator of this circuit may do, checked on the server before every change: pages hide the controls a
/// role cannot use, and the code paths behind them check again, so a forged call changes nothing.
/// </summary>
public sealed class OperatorAccess(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public async Task<bool> AllowsAsync(string policy)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return (await authorization.AuthorizeAsync(state.User, policy)).Succeeded;
    }

    /// <summary>Who the activity log and the settings history name: the operator's email (their user name).</summary>
    public async Task<string> ActorAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "operator";
    }
}

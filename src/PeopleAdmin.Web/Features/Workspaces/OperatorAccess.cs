using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Features.Workspaces;

/// <summary>
/// What the operator of this circuit may do, checked on the server before every change: pages hide the controls a
/// role cannot use, and the code paths behind them check again, so a forged call changes nothing.
/// </summary>
public sealed class OperatorAccess(
    AuthenticationStateProvider authentication, IAuthorizationService authorization, IHttpContextAccessor http, AuditTrail audit)
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

    /// <summary>The operator's role as their sign-in carries it.</summary>
    public async Task<string> RoleAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return OperatorRoles.All.FirstOrDefault(user.IsInRole) ?? "no role";
    }

    /// <summary>The operator's id, or null when nobody is signed in.</summary>
    public async Task<string?> IdAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>
    /// The client's address: in a circuit, that of the connection the circuit runs on (after the forwarded-headers
    /// middleware, when a trusted proxy is configured).
    /// </summary>
    public string? RemoteAddress() => http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    /// <summary>Records a change in the audit trail under this operator, with where it came from.</summary>
    public async Task RecordAsync(string action, string detail, CancellationToken cancellationToken = default) =>
        await audit.RecordAsync(action, await ActorAsync(), detail, RemoteAddress(), cancellationToken);
}

using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Components.Account;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    /// <summary>The one form endpoint the static account pages need besides themselves: sign out.</summary>
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var accountGroup = endpoints.MapGroup("/Account");

        // A form post, so antiforgery applies; signing out of an expired session must still work, hence anonymous.
        accountGroup.MapPost("/Logout", async (
            HttpContext context,
            [FromServices] SignInManager<Operator> signInManager,
            [FromServices] AuditTrail audit,
            [FromForm] string? returnUrl) =>
        {
            var email = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
            await signInManager.SignOutAsync();
            if (email is not null)
            {
                await audit.RecordAsync(AuditActions.SignedOut, email, null, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
            }

            return TypedResults.LocalRedirect(string.IsNullOrEmpty(returnUrl) ? "~/Account/Login" : $"~/{returnUrl.TrimStart('/')}");
        }).AllowAnonymous();

        return accountGroup;
    }
}

using Microsoft.AspNetCore.Antiforgery;
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

        // A form post, so antiforgery applies; signing out of an expired session must still work, hence anonymous. The
        // token is checked here rather than by form binding, whose failure is an exception (a 500 in Production).
        accountGroup.MapPost("/Logout", async Task<IResult> (
            HttpContext context,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] SignInManager<Operator> signInManager,
            [FromServices] AuditTrail audit) =>
        {
            if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest("The sign-out form has expired. Go back, reload the page and sign out again.");
            }

            var email = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
            await signInManager.SignOutAsync();
            if (email is not null)
            {
                await audit.RecordAsync(AuditActions.SignedOut, email, null, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
            }

            var returnUrl = "/" + context.Request.Form["returnUrl"].ToString().TrimStart('/');
            return TypedResults.LocalRedirect(returnUrl.Length > 1 && IsLocal(returnUrl) ? "~" + returnUrl : "~/Account/Login");
        }).AllowAnonymous().DisableAntiforgery();

        return accountGroup;
    }

    /// <summary>A path of this site: not <c>/\host</c>, which browsers read as another site.</summary>
    private static bool IsLocal(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
        && Uri.IsWellFormedUriString(path, UriKind.Relative);
}

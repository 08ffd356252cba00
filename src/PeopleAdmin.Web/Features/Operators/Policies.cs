using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.ManagementApi;

namespace PeopleAdmin.Web.Features.Operators;

/// <summary>The authorization policies that pages and APIs name, by what they let an operator do.</summary>
public static class Policies
{
    public const string CanViewPeople = nameof(CanViewPeople);
    public const string CanEditPeople = nameof(CanEditPeople);
    public const string CanManageSettings = nameof(CanManageSettings);
    public const string CanManageOperators = nameof(CanManageOperators);

    /// <summary>Any signed-in operator, a one-time password included: only the page that changes the password names it.</summary>
    public const string SignedIn = nameof(SignedIn);

    /// <summary>The management API: any role with its token reads; changes need <see cref="ManagementChange"/>.</summary>
    public const string ManagementRead = nameof(ManagementRead);

    public const string ManagementChange = nameof(ManagementChange);

    /// <summary>The management API's writes to people (imports): Editors and up, as on the People page.</summary>
    public const string ManagementEditPeople = nameof(ManagementEditPeople);

    /// <summary>Carried by an operator who signed in with a one-time password, until they choose their own.</summary>
    public const string PasswordChangeRequiredClaim = "peopleadmin:password_change_required";

    private static readonly string[] Managers = [OperatorRoles.Owner, OperatorRoles.Admin];

    internal static AuthorizationBuilder AddPeopleAdminPolicies(this AuthorizationBuilder authorization) => authorization
        // Every endpoint without its own [Authorize] or [AllowAnonymous] needs a signed-in operator.
        .SetFallbackPolicy(Console().Build())
        .AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser())
        .AddPolicy(CanViewPeople, Console().RequireRole(OperatorRoles.All).Build())
        .AddPolicy(CanEditPeople, Console().RequireRole(OperatorRoles.Owner, OperatorRoles.Admin, OperatorRoles.Editor).Build())
        .AddPolicy(CanManageSettings, Console().RequireRole(Managers).Build())
        .AddPolicy(CanManageOperators, Console().RequireRole(Managers).Build())
        .AddPolicy(ManagementRead, policy => policy.AddAuthenticationSchemes(ManagementTokenHandler.SchemeName).RequireAuthenticatedUser().RequireRole(OperatorRoles.All))
        .AddPolicy(ManagementChange, policy => policy.AddAuthenticationSchemes(ManagementTokenHandler.SchemeName).RequireAuthenticatedUser().RequireRole(Managers))
        .AddPolicy(ManagementEditPeople, policy => policy.AddAuthenticationSchemes(ManagementTokenHandler.SchemeName).RequireAuthenticatedUser()
            .RequireRole(OperatorRoles.Owner, OperatorRoles.Admin, OperatorRoles.Editor));

    /// <summary>A signed-in operator who has chosen their own password.</summary>
    private static AuthorizationPolicyBuilder Console() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireAssertion(context => !MustChangePassword(context.User));

    public static bool MustChangePassword(ClaimsPrincipal user) => user.HasClaim(c => c.Type == PasswordChangeRequiredClaim);
}

using Microsoft.AspNetCore.Authorization;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Features.Operators;

/// <summary>The authorization policies that pages and APIs name, by what they let an operator do.</summary>
public static class Policies
{
    public const string CanViewPeople = nameof(CanViewPeople);
    public const string CanEditPeople = nameof(CanEditPeople);
    public const string CanManageSettings = nameof(CanManageSettings);
    public const string CanManageOperators = nameof(CanManageOperators);

    internal static AuthorizationBuilder AddPeopleAdminPolicies(this AuthorizationBuilder authorization) => authorization
        // Every endpoint without its own [Authorize] or [AllowAnonymous] needs a signed-in operator.
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(CanViewPeople, policy => policy.RequireRole(OperatorRoles.All))
        .AddPolicy(CanEditPeople, policy => policy.RequireRole(OperatorRoles.Owner, OperatorRoles.Admin, OperatorRoles.Editor))
        .AddPolicy(CanManageSettings, policy => policy.RequireRole(OperatorRoles.Owner, OperatorRoles.Admin))
        .AddPolicy(CanManageOperators, policy => policy.RequireRole(OperatorRoles.Owner, OperatorRoles.Admin));
}

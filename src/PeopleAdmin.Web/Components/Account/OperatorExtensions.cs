using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Components.Account;

internal static class OperatorExtensions
{
    /// <summary>Operator sign-in with ASP.NET Core Identity on the people store's database.</summary>
    public static WebApplicationBuilder AddPeopleAdminOperators(this WebApplicationBuilder builder)
    {
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        builder.Services.AddIdentityCore<Operator>()
            .AddEntityFrameworkStores<PeopleAdminDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // Identity's stores resolve a scoped context; it comes from the same factory every other part uses.
        builder.Services.AddScoped(sp => sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PeopleAdminDbContext>>().CreateDbContext());
        return builder;
    }
}

using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.ManagementApi;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Team;

namespace PeopleAdmin.Web.Components.Account;

internal static class OperatorExtensions
{
    public const string SetupPath = "/setup";
    public const string ChangePasswordPath = "/Account/Manage/ChangePassword";
    public const string HeadlessOwnerEmailKey = "PeopleAdmin:Admin:Email";
    public const string HeadlessOwnerPasswordKey = "PeopleAdmin:Admin:Password";

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
        builder.Services.ConfigureApplicationCookie(ConfigureCookie);
        // Every request checks the cookie against the database (security stamp, role, deactivation), not every 30 minutes.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        builder.Services.AddAuthorizationBuilder().AddPeopleAdminPolicies();

        builder.Services.AddIdentityCore<Operator>(SignInRules.Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PeopleAdminDbContext>()
            .AddSignInManager<OperatorSignInManager>()
            .AddClaimsPrincipalFactory<OperatorClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        // Identity's stores resolve a scoped context; it comes from the same factory every other part uses.
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContext());
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<SetupState>();
        builder.Services.AddScoped<OperatorAccounts>();
        builder.Services.AddScoped<SignInAttempts>();
        builder.Services.AddScoped<OperatorCommands>();
        builder.Services.AddSingleton<OperatorSessions>();
        builder.Services.AddSingleton<PersonalTokens>();
        builder.Services.AddSingleton<TeamService>();
        builder.Services.AddHttpContextAccessor();

        var forwarded = builder.Configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        builder.Services.AddSingleton(forwarded);
        builder.Services.Configure<ForwardedHeadersOptions>(options => ConfigureForwardedHeaders(options, forwarded));
        return builder;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.LoginPath = "/Account/Login";
        options.LogoutPath = "/Account/Logout";
        options.AccessDeniedPath = "/Account/AccessDenied";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        // A "remember me" sign-in lasts this long, sliding; otherwise the cookie ends with the browser session.
        options.ExpireTimeSpan = SignInRules.RememberMeDuration;
        options.SlidingExpiration = true;

        // The HTTP APIs (/api/..., /v1/...) authenticate with their own credentials: a request there that reaches
        // the cookie scheme answers 401 or 403 with a JSON body, never a redirect to the sign-in page.
        options.Events.OnRedirectToLogin = async context =>
        {
            if (IsApiPath(context.Request.Path))
            {
                await WriteApiRefusalAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required.");
                return;
            }

            var setup = context.HttpContext.RequestServices.GetRequiredService<SetupState>();
            context.Response.Redirect(await setup.IsDoneAsync(context.HttpContext.RequestAborted)
                ? context.RedirectUri
                : context.Request.PathBase + SetupPath);
        };
        options.Events.OnRedirectToAccessDenied = async context =>
        {
            if (IsApiPath(context.Request.Path))
            {
                await WriteApiRefusalAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed.");
                return;
            }

            if (Policies.MustChangePassword(context.HttpContext.User))
            {
                context.Response.Redirect(context.Request.PathBase + ChangePasswordPath);
                return;
            }

            context.Response.Redirect(context.RedirectUri);
        };
    }

    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    private static async Task WriteApiRefusalAsync(HttpContext context, int statusCode, string message)
    {
        // The HTML status-code pages must not replace an API's answer (toolchain pitfall 17).
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        context.Response.StatusCode = statusCode;
        await context.Response.WriteAsJsonAsync(new { meta = new { errors = new[] { message } } }, context.RequestAborted);
    }

    private static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, ForwardedHeadersSettings settings)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        var proxies = ForwardedHeadersSettings.Split(settings.KnownProxies).ToList();
        var networks = ForwardedHeadersSettings.Split(settings.KnownNetworks).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return;
        }

        // Named proxies replace the default trust in loopback.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"PeopleAdmin__ForwardedHeaders__KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"PeopleAdmin__ForwardedHeaders__KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)."));
        }
    }

    /// <summary>First in the pipeline: the client's scheme and address as a trusted proxy forwarded them, when enabled.</summary>
    public static WebApplication UsePeopleAdminForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ForwardedHeadersSettings>().Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>
    /// Authentication and authorization, placed explicitly after the brand assets: left to WebApplication they would
    /// run first, and the fallback policy would hide the sign-in page's stylesheet and logo.
    /// </summary>
    public static WebApplication UsePeopleAdminSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Seeds the roles and, when configured and no operator exists, creates the owner headless.</summary>
    public static async Task InitializePeopleAdminOperatorsAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in OperatorRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var created = await roles.CreateAsync(new IdentityRole(role));
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"The role {role} could not be created: {Describe(created)}");
                }
            }
        }

        var email = app.Configuration[HeadlessOwnerEmailKey];
        var password = app.Configuration[HeadlessOwnerPasswordKey];
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrEmpty(password))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException("PeopleAdmin__Admin__Email and PeopleAdmin__Admin__Password create the owner together: set both or neither.");
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PeopleAdmin.Operators");
        var accounts = scope.ServiceProvider.GetRequiredService<OperatorAccounts>();
        var (result, _) = await accounts.CreateOwnerAsync(email, password, "headless, from configuration", null, app.Lifetime.ApplicationStopping);
        if (result.Succeeded)
        {
            logger.LogInformation("Created the owner account {Email} from configuration", email);
        }
        else if (result.Errors.Any(e => e.Code == OperatorAccounts.SetupAlreadyDone.Code))
        {
            logger.LogInformation("PeopleAdmin__Admin__Email is set, but operators exist already: it is ignored");
        }
        else
        {
            throw new InvalidOperationException($"The owner account from PeopleAdmin__Admin__Email could not be created: {Describe(result)}");
        }
    }

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}

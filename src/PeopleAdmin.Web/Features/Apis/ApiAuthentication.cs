using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.ManagementApi;

namespace PeopleAdmin.Web.Features.Apis;

/// <summary>The authentication scheme of each credential kind: one ASP.NET Core handler each.</summary>
internal static class ApiSchemes
{
    public const string TrackBasic = "TrackBasic";
    public const string AppBearer = "AppBearer";
    public const string ManagementToken = ManagementTokenHandler.SchemeName;
}

/// <summary>
/// The Track and App APIs' policies: the authorization policy that demands the kind's credentials, and the rate limiter
/// policy of the same name that gives each workspace its bucket. The management API's are in <c>Operators.Policies</c>.
/// </summary>
internal static class ApiPolicies
{
    public const string Track = "TrackApi";
    public const string App = "AppApi";

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Track, policy => policy.AddAuthenticationSchemes(ApiSchemes.TrackBasic).RequireAuthenticatedUser())
        .AddPolicy(App, policy => policy.AddAuthenticationSchemes(ApiSchemes.AppBearer).RequireAuthenticatedUser());
}

/// <summary>
/// What the API schemes share: a refusal keeps the API's JSON body in the shape of the endpoint's group (401, or 429
/// once an address has failed too often), and the HTML status-code pages stay out of it (toolchain pitfall 17).
/// </summary>
internal abstract class ApiCredentialsHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, FailedAuthentications failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The 401's message: which credentials this scheme takes, and where to send them.</summary>
    protected abstract string UnauthorizedMessage { get; }

    protected ErrorShape Shape => Context.GetEndpoint()?.Metadata.GetMetadata<ApiErrorShape>()?.Shape ?? ErrorShape.App;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        DisableStatusCodePages();
        if (failures.Record(Context) is { } wait)
        {
            Response.Headers.RetryAfter = RetryAfterSeconds(wait);
            await ApiErrors.Create(Shape, StatusCodes.Status429TooManyRequests, "rate_limited", "",
                "Too many failed authentications from this address; wait before trying again.").ExecuteAsync(Context);
            return;
        }

        await ApiErrors.Create(Shape, StatusCodes.Status401Unauthorized, "unauthorized", "Authorization", UnauthorizedMessage).ExecuteAsync(Context);
    }

    protected void DisableStatusCodePages()
    {
        if (Context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }
    }

    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Succeeds for a workspace's credentials and leaves the workspace where <see cref="ApiWorkspace"/> binds it from.</summary>
    protected AuthenticateResult Authenticated(WorkspaceIdentity workspace)
    {
        Context.Features.Set(new ApiWorkspace(workspace));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, workspace.Id.ToString(CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Name, workspace.SiteId)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    public static bool TryParseBearer(string header, out string token)
    {
        token = "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header["Bearer ".Length..].Trim();
        return token.Length > 0;
    }

    /// <summary>HTTP Basic in the standard or the URL-safe base64 alphabet (go-customerio sends the latter), padded or not.</summary>
    public static bool TryParseBasic(string header, out string user, out string password)
    {
        user = password = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header["Basic ".Length..].Trim().Replace('-', '+').Replace('_', '/');
        if (encoded.Length > 1024)
        {
            return false;
        }

        encoded = encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return password.Length > 0;
    }
}

/// <summary>The Track API's credentials: HTTP Basic <c>site_id:track_api_key</c> of a workspace.</summary>
internal sealed class TrackBasicHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, FailedAuthentications failures, WorkspaceDirectory directory)
    : ApiCredentialsHandler(options, logger, encoder, failures)
{
    protected override string UnauthorizedMessage => "Unauthorized request: send HTTP Basic credentials site_id:track_api_key of a workspace.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryParseBasic(Request.Headers.Authorization.ToString(), out var siteId, out var key))
        {
            return AuthenticateResult.NoResult();
        }

        return await directory.AuthenticateTrackAsync(siteId, key, Context.RequestAborted) is { } workspace
            ? Authenticated(workspace)
            : AuthenticateResult.Fail("Unknown site id or wrong Track API key.");
    }
}

/// <summary>The App API's credentials: <c>Authorization: Bearer</c> with a workspace's App API key.</summary>
internal sealed class AppBearerHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, FailedAuthentications failures, WorkspaceDirectory directory)
    : ApiCredentialsHandler(options, logger, encoder, failures)
{
    protected override string UnauthorizedMessage => "Unauthorized request: send 'Authorization: Bearer <app_api_key>' with a workspace's App API key.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryParseBearer(Request.Headers.Authorization.ToString(), out var key))
        {
            return AuthenticateResult.NoResult();
        }

        return await directory.AuthenticateAppAsync(key, Context.RequestAborted) is { } workspace
            ? Authenticated(workspace)
            : AuthenticateResult.Fail("Unknown App API key.");
    }
}

internal static class ApiAuthenticationExtensions
{
    public static AuthenticationBuilder AddApiSchemes(this AuthenticationBuilder authentication) => authentication
        .AddScheme<AuthenticationSchemeOptions, TrackBasicHandler>(ApiSchemes.TrackBasic, null)
        .AddScheme<AuthenticationSchemeOptions, AppBearerHandler>(ApiSchemes.AppBearer, null)
        .AddScheme<AuthenticationSchemeOptions, ManagementTokenHandler>(ApiSchemes.ManagementToken, null);
}

using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.ManagementApi;

/// <summary>
/// Authenticates the management API's bearer token: the configured bootstrap token (<c>PeopleAdmin__Admin__ApiToken</c>),
/// which acts as the Owner, or an operator's personal token, which acts with that operator's current role. Refusals
/// keep the API's JSON error body: 401 (429 once an address has failed too often) and 403.
/// </summary>
internal sealed class ManagementTokenHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        FailedAuthentications failures,
        IOptionsMonitor<AdminApiOptions> admin,
        PersonalTokens tokens)
    : ApiCredentialsHandler(options, logger, encoder, failures)
{
    public const string SchemeName = "ManagementToken";

    /// <summary>Names the token a request came with: <see cref="BootstrapToken"/> or a personal token's id.</summary>
    public const string TokenClaim = "peopleadmin:token";

    public const string BootstrapToken = "bootstrap";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryParseBearer(Request.Headers.Authorization.ToString(), out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var configured = admin.CurrentValue.ApiToken;
        if (!string.IsNullOrEmpty(configured) && SameSecret(presented, configured))
        {
            return Success(new Claim(ClaimTypes.Name, "bootstrap token"), new Claim(ClaimTypes.Role, OperatorRoles.Owner), new Claim(TokenClaim, BootstrapToken));
        }

        if (await tokens.AuthenticateAsync(presented, Context.RequestAborted) is { } holder)
        {
            return Success(
                new Claim(ClaimTypes.NameIdentifier, holder.OperatorId),
                new Claim(ClaimTypes.Name, holder.Email),
                new Claim(ClaimTypes.Email, holder.Email),
                new Claim(ClaimTypes.Role, holder.Role),
                new Claim(TokenClaim, holder.TokenId.ToString(CultureInfo.InvariantCulture)));
        }

        return AuthenticateResult.Fail("Unknown, expired or revoked token.");
    }

    protected override string UnauthorizedMessage =>
        "Unauthorized request: send 'Authorization: Bearer <token>' with a personal API token (made on /account/tokens) " +
        "or the token set in PeopleAdmin__Admin__ApiToken; an expired or revoked token is refused.";

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        DisableStatusCodePages();
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "no role";
        await ApiErrors.Create(ErrorShape.App, StatusCodes.Status403Forbidden, "forbidden", "Authorization",
            $"This token acts with the role {role}, which may read through the management API but not change anything; " +
            "changes need an Admin's or the Owner's token.").ExecuteAsync(Context);
    }

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    /// <summary>Compares through hashes so that neither the content nor the length of the token leaks through timing.</summary>
    private static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

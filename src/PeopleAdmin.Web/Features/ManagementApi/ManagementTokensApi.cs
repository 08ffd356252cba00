using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.ManagementApi;

/// <summary>
/// <c>/api/admin/v1/tokens</c>: the calling operator's own personal tokens, whatever their role. The secret is in the
/// <c>POST</c> answer only. The bootstrap token belongs to no operator, so it has no tokens of its own.
/// </summary>
internal static class ManagementTokensApi
{
    public sealed record TokenBody(int Id, string Name, DateTime CreatedAt, DateTime ExpiresAt, DateTime? LastUsedAt);

    public sealed record CreatedTokenBody(int Id, string Name, DateTime CreatedAt, DateTime ExpiresAt, DateTime? LastUsedAt, string Token);

    public sealed record CreateTokenRequest(string Name, DateTime ExpiresAt);

    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/tokens", ListAsync).WithName("AdminListTokens");
        admin.MapPost("/tokens", CreateAsync).WithName("AdminCreateToken").AcceptsJson<CreateTokenRequest>();
        admin.MapDelete("/tokens/{id:int}", RevokeAsync).WithName("AdminRevokeToken");
        return admin;
    }

    internal static async Task<Results<Ok<List<TokenBody>>, JsonHttpResult<AppErrorBody>>> ListAsync(
        HttpContext http, PersonalTokens tokens, CancellationToken cancellationToken)
    {
        if (OperatorOf(http) is not { } operatorId)
        {
            return NoOperator();
        }

        var list = await tokens.ListAsync(operatorId, cancellationToken);
        return TypedResults.Ok(list.Select(t => new TokenBody(t.Id, t.Name, t.CreatedAt, t.ExpiresAt, t.LastUsedAt)).ToList());
    }

    internal static async Task<Results<Created<CreatedTokenBody>, JsonHttpResult<AppErrorBody>>> CreateAsync(
        HttpContext http, PersonalTokens tokens, CancellationToken cancellationToken)
    {
        if (OperatorOf(http) is not { } operatorId)
        {
            return NoOperator();
        }

        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            var body = document!.RootElement;
            string? name = null;
            string? expiresText = null;
            if ((TrackInput.RequireObject(body, "body")
                 ?? TrackInput.ReadString(body, "name", required: true, out name)
                 ?? TrackInput.ReadString(body, "expires_at", required: true, out expiresText)) is { } fieldProblem)
            {
                return AppApi.AppApi.Error(fieldProblem);
            }

            if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
            {
                return AppApi.AppApi.Error(ApiProblem.Invalid("expires_at", $"expires_at '{expiresText}' is not a date and time such as 2027-01-31T00:00:00Z."));
            }

            var result = await tokens.CreateAsync(operatorId, name, expiresAt.UtcDateTime, cancellationToken);
            if (result.Error is { } error)
            {
                return AppApi.AppApi.Error(TrackResults.Problem(error));
            }

            var (token, secret) = result.Value!;
            await ManagementApi.RecordAsync(http, AuditActions.TokenCreated, $"{token.Name} (token {token.Id}, expires {token.ExpiresAt:yyyy-MM-dd}), through the management API");
            return TypedResults.Created(
                $"/api/admin/v1/tokens/{token.Id}",
                new CreatedTokenBody(token.Id, token.Name, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, secret));
        }
    }

    internal static async Task<Results<NoContent, JsonHttpResult<AppErrorBody>>> RevokeAsync(
        HttpContext http, int id, PersonalTokens tokens, CancellationToken cancellationToken)
    {
        if (OperatorOf(http) is not { } operatorId)
        {
            return NoOperator();
        }

        if (await tokens.RevokeAsync(operatorId, id, cancellationToken) is not { } revoked)
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "id", $"You have no token {id}."));
        }

        await ManagementApi.RecordAsync(http, AuditActions.TokenRevoked, $"{revoked.Name} (token {revoked.Id}), through the management API");
        return TypedResults.NoContent();
    }

    private static string? OperatorOf(HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier);

    private static JsonHttpResult<AppErrorBody> NoOperator() => AppApi.AppApi.Error(new ApiProblem(
        StatusCodes.Status403Forbidden,
        "Authorization",
        "The bootstrap token (PeopleAdmin__Admin__ApiToken) belongs to no operator; personal tokens are made on /account/tokens or with an operator's own token.")
    {
        Reason = "forbidden",
    });
}

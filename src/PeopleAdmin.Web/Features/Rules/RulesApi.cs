using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Rules;

/// <summary><c>PeopleAdmin:Rules</c>: the inbound webhooks' limits.</summary>
internal sealed class RulesOptions
{
    public const string Section = "PeopleAdmin:Rules";

    /// <summary>Calls one webhook URL accepts per minute.</summary>
    public int WebhookCallsPerMinute { get; set; } = 600;
}

/// <summary>
/// Rules over HTTP: the management API's <c>POST /api/admin/v1/workspaces/{id}/rules</c>, and the inbound webhooks
/// (<c>POST /api/v1/webhooks/{token}</c>: no credentials but the unguessable token, any JSON up to 32 KB, each
/// URL rate-limited in a bucket of its own), whose calls are queued for the rule and answered <c>202</c> at once.
/// </summary>
internal static class RulesApi
{
    public const int WebhookBodyLimit = 32 * 1024;
    public const string WebhookPath = "api/v1/webhooks/";

    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/admin/v1").RequireAuthorization(Operators.Policies.ManagementRead)
            .WithApiErrors(ErrorShape.App, StatusCodes.Status403Forbidden).WithTags("Management API")
            .MapPost("/workspaces/{id:int}/rules", CreateAsync).WithName("AdminCreateRule").Accepts<RulesWire.RuleRequest>("application/json")
            .RequireAuthorization(Operators.Policies.ManagementChange);
        endpoints.MapPost("/" + WebhookPath + "{token}", WebhookAsync)
            .WithName("RuleWebhook")
            .WithTags("Rules")
            .WithSummary("A rule's inbound webhook: any JSON up to 32 KB, no credentials but the URL's token.")
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(WebhookRateLimitPolicy.Name);
        return endpoints;
    }

    internal static async Task<Results<Created<RulesWire.CreatedRuleBody>, JsonHttpResult<AppErrorBody>>> CreateAsync(
        HttpContext http, int id, WorkspaceDirectory directory, RulesService rules, PublicAddress address, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is null)
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "id", $"There is no workspace {id}."));
        }

        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            RuleDefinition? definition = null;
            if ((problem ?? RulesWire.Read(document!.RootElement, out definition)) is { } invalid)
            {
                return AppApi.AppApi.Error(invalid);
            }

            var (rule, error) = await rules.CreateAsync(id, definition!, cancellationToken);
            if (error is not null)
            {
                return AppApi.AppApi.Error(ApiProblem.Invalid(error.Field, error.Message));
            }

            await ManagementApi.ManagementApi.RecordAsync(http, AuditActions.RuleCreated, RulesConsole.Describe(id, rule!.Id, rule.Definition.Name) + ", through the management API");
            var url = rule.WebhookToken is { } token ? WebhookUrl(address, token) : null;
            return TypedResults.Created($"/api/admin/v1/workspaces/{id}/rules/{rule.Id}", new RulesWire.CreatedRuleBody(rule.Id, url));
        }
    }

    /// <summary><c>202 {}</c> once the call is queued for its rule; <c>404</c> for an unknown, rotated or turned-off token.</summary>
    internal static async Task<Results<Accepted<EmptyBody>, JsonHttpResult<V1ErrorBody>>> WebhookAsync(
        HttpContext http, string token, RulesService rules, RuleEngine engine, CancellationToken cancellationToken)
    {
        if (await rules.FindWebhookAsync(token, cancellationToken) is not { } rule)
        {
            return Error(new ApiProblem(StatusCodes.Status404NotFound, "token", "There is no webhook at this address: the URL is unknown, or it was rotated or its rule turned off."));
        }

        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, WebhookBodyLimit, emptyIsObject: true, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            if (!engine.EnqueueWebhook(rule.WorkspaceId, rule.RuleId, JsonNode.Parse(document!.RootElement.GetRawText())!))
            {
                http.Response.Headers.RetryAfter = "5";
                return Error(new ApiProblem(StatusCodes.Status503ServiceUnavailable, "body", "The rules' queue is full; try again in a few seconds."));
            }

            return TypedResults.Accepted((string?)null, EmptyBody.Instance);
        }
    }

    public static string WebhookUrl(PublicAddress address, string token) => address.Link(WebhookPath + token);

    private static JsonHttpResult<V1ErrorBody> Error(ApiProblem problem) =>
        TypedResults.Json(new V1ErrorBody(new V1ErrorMeta([problem.Message])), statusCode: problem.Status);
}

/// <summary>One token bucket per webhook URL: a caller flooding one URL cannot fill the rules' queue for the others.</summary>
internal sealed class WebhookRateLimitPolicy(IOptions<RulesOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "rule-webhooks";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        var wait = PublicRateLimits.RetryAfter(context.Lease);
        context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.HttpContext.Response.WriteAsJsonAsync(new V1ErrorBody(new V1ErrorMeta(["Too many calls to this webhook; wait for the time in Retry-After."])), cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var perMinute = options.Value.WebhookCallsPerMinute;
        return RateLimitPartition.GetTokenBucketLimiter(httpContext.Request.RouteValues["token"] as string ?? "", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}

internal static class RulesServiceExtensions
{
    public static WebApplicationBuilder AddRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.Section)
            .Validate(o => o.WebhookCallsPerMinute > 0, "PeopleAdmin__Rules__WebhookCallsPerMinute must be a positive number.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(options => options.AddPolicy<string, WebhookRateLimitPolicy>(WebhookRateLimitPolicy.Name));
        return builder;
    }
}

using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.Snippet;

/// <summary>
/// The browser snippet's endpoints (<c>/api/v1/browser/</c>, PeopleAdmin's own): what <c>/js/track.js</c> sends from a
/// visitor's page. Authenticated by the public site id alone, so every write is a public source's
/// (<see cref="PublicIdentifyOperation"/>, public events). Bodies are JSON, also sent as <c>text/plain</c>, the type a
/// browser sends without a CORS preflight and the type of a beacon. Answers are Track v1's: <c>200 {}</c> or
/// <c>{"meta": {"errors": [...]}}</c>.
/// </summary>
internal static class SnippetApi
{
    public const string Prefix = "/api/v1/browser";

    /// <summary>
    /// For the OpenAPI document: the object the page gave <c>identify</c>, with the snippet's anonymous id. Every other
    /// key is an attribute of the person (strings, numbers, booleans, null to remove).
    /// </summary>
    public sealed record BrowserIdentifyRequest(
        [property: Description("The reference: an id (a string or a number; with @ in an email_or_id workspace, an email).")] string? Id,
        [property: Description("The reference when there is no id (email_or_id workspaces); beside an id, an email for a person created now.")] string? Email,
        [property: Description("The visitor's anonymous id: their anonymous page views and events join the person.")] string? AnonymousId);

    /// <summary>For the OpenAPI document: an event, page view or screen view of a visitor, anonymous until identified.</summary>
    public sealed record BrowserEventRequest(
        string Name,
        string? Type,
        Dictionary<string, JsonElement>? Data,
        string? AnonymousId,
        string? CustomerId,
        long? Timestamp,
        string? Id);

    public static IEndpointRouteBuilder MapSnippetApi(this IEndpointRouteBuilder endpoints)
    {
        var browser = endpoints.MapGroup(Prefix)
            .AddEndpointFilter<SnippetGuard>()
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(SnippetRateLimitPolicy.Name)
            .WithTags("Browser snippet");
        browser.MapPost("/identify", IdentifyAsync).WithName("BrowserIdentify")
            .WithSummary("identify({id, email, …}) of /js/track.js: id (else email) is the reference, the rest the person's attributes; anonymous_id brings the visitor's anonymous activity to them.")
            .AddOpenApiOperationTransformer(RequestBody<BrowserIdentifyRequest>);
        browser.MapPost("/events", TrackEventAsync).WithName("BrowserEvent")
            .WithSummary("track() and page() of /js/track.js: the identified visitor's event when customer_id is set, else an anonymous event of anonymous_id.")
            .AddOpenApiOperationTransformer(RequestBody<BrowserEventRequest>);

        // A page that sends JSON as application/json, or the site id as a header, asks first; the answer to the
        // request itself is what checks the origin.
        endpoints.MapMethods(Prefix + "/{**path}", [HttpMethods.Options], SnippetGuard.Preflight).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// Documents the body as JSON and as text/plain. Not <c>Accepts</c> metadata: routing would turn another content type
    /// away as a path nobody maps (a 404) before the guard's JSON 415.
    /// </summary>
    private static async Task RequestBody<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = SnippetGuard.JsonTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
        };
    }

    internal static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> IdentifyAsync(HttpContext http, PeopleService people, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken, BodyKind.JsonOrText);
        using (document)
        {
            Dictionary<string, AttributeValue> call = [];
            problem ??= TrackInput.RequireObject(document!.RootElement, "body") ?? TrackInput.ReadAttributes(document.RootElement, "", out call);
            if (problem is not null)
            {
                return Error(problem);
            }

            var workspace = SnippetGuard.Workspace(http);
            var operation = PublicIdentifyOperation.FromSnippet(call, workspace.Settings.Identifiers);
            if (operation is null)
            {
                return Error(ApiProblem.Invalid("id", workspace.Settings.Identifiers == Core.Workspaces.IdentifierMode.EmailOrId
                    ? "identify needs an id or an email: _cio.identify({id: \"user-1\"})."
                    : "identify needs an id in this ID-only workspace: _cio.identify({id: \"user-1\"})."));
            }

            return await RunAsync(http, people, operation, cancellationToken);
        }
    }

    internal static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> TrackEventAsync(HttpContext http, PeopleService people, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken, BodyKind.JsonOrText);
        using (document)
        {
            EventInput? input = null;
            string? customerId = null, anonymousId = null;
            var body = document?.RootElement ?? default;
            problem ??= TrackInput.RequireObject(body, "body")
                ?? TrackInput.ReadString(body, "customer_id", required: false, out customerId)
                ?? TrackInput.ReadString(body, "anonymous_id", required: false, out anonymousId)
                ?? TrackInput.ReadEvent(body, "data", null, out input);
            if (problem is not null)
            {
                return Error(problem);
            }

            var mode = SnippetGuard.Workspace(http).Settings.Identifiers;
            PeopleOperation operation = string.IsNullOrEmpty(customerId)
                ? new TrackAnonymousEventOperation(string.IsNullOrEmpty(anonymousId) ? null : anonymousId, input!)
                : new TrackEventOperation(PersonReference.Classify(customerId, mode), input!, Public: true);
            return await RunAsync(http, people, operation, cancellationToken);
        }
    }

    private static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> RunAsync(
        HttpContext http, PeopleService people, PeopleOperation operation, CancellationToken cancellationToken)
    {
        if (OperationValidator.Validate(operation) is { } invalid)
        {
            return Error(TrackResults.Problem(invalid));
        }

        var workspace = SnippetGuard.Workspace(http);
        var result = await people.ExecuteAsync(new OperationContext(workspace.Id, Sources.Snippet, "snippet"), operation, cancellationToken);
        return result.Status == OperationStatus.Rejected ? Error(TrackResults.Problem(result.Error!)) : TypedResults.Ok(EmptyBody.Instance);
    }

    private static JsonHttpResult<V1ErrorBody> Error(ApiProblem problem) =>
        TypedResults.Json(new V1ErrorBody(new V1ErrorMeta([problem.Message])), statusCode: problem.Status);
}

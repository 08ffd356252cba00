using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.TrackApi;

/// <summary>
/// Customer.io's Track API v1 (<c>/api/v1</c>): HTTP Basic site_id:track_api_key, success exactly <c>200 {}</c>,
/// errors <c>{"meta": {"errors": [...]}}</c>. Every endpoint calls the identity service.
/// </summary>
internal static class TrackApi
{
    public sealed record RegionBody(string Url, string Region, int EnvironmentId);

    // Request shapes, for the OpenAPI document: the handlers read the JSON themselves to name each bad field.
    public sealed record EventRequest(string Name, string? Type, Dictionary<string, JsonElement>? Data, long? Timestamp, string? Id);

    public sealed record AnonymousEventRequest(string Name, string? AnonymousId, Dictionary<string, JsonElement>? Data, long? Timestamp, string? Id);

    public sealed record DeviceRequest(DeviceWire Device);

    public sealed record DeviceWire(string Id, string Platform, long? LastUsed, Dictionary<string, JsonElement>? Attributes);

    public sealed record MergeRequest(Dictionary<string, string> Primary, Dictionary<string, string> Secondary);

    public sealed record SegmentIdsRequest(IReadOnlyList<string> Ids);

    public static IEndpointRouteBuilder MapTrackApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/api/v1").RequireAuthorization(ApiPolicies.Track).RequireRateLimiting(ApiPolicies.Track)
            .WithApiErrors(ErrorShape.TrackV1).WithTags("Track API v1");
        v1.MapPut("/customers/{identifier}", IdentifyAsync).WithName("TrackIdentify").AcceptsJsonOrForm<Dictionary<string, JsonElement>>();
        v1.MapDelete("/customers/{identifier}", DeleteAsync).WithName("TrackDelete");
        v1.MapPost("/customers/{identifier}/suppress", SuppressAsync).WithName("TrackSuppress");
        v1.MapPost("/customers/{identifier}/unsuppress", UnsuppressAsync).WithName("TrackUnsuppress");
        v1.MapPost("/customers/{identifier}/events", TrackEventAsync).WithName("TrackEvent").AcceptsJsonOrForm<EventRequest>();
        v1.MapPut("/customers/{identifier}/devices", UpsertDeviceAsync).WithName("TrackAddDevice").AcceptsJsonOrForm<DeviceRequest>();
        v1.MapDelete("/customers/{identifier}/devices/{token}", RemoveDeviceAsync).WithName("TrackDeleteDevice");
        v1.MapPost("/events", TrackAnonymousEventAsync).WithName("TrackAnonymousEvent").AcceptsJsonOrForm<AnonymousEventRequest>();
        v1.MapPost("/merge_customers", MergeAsync).WithName("TrackMergeCustomers").AcceptsJsonOrForm<MergeRequest>();
        v1.MapPost("/segments/{segmentId}/add_customers", AddToSegmentAsync).WithName("TrackAddToSegment").AcceptsJsonOrForm<SegmentIdsRequest>();
        v1.MapPost("/segments/{segmentId}/remove_customers", RemoveFromSegmentAsync).WithName("TrackRemoveFromSegment").AcceptsJsonOrForm<SegmentIdsRequest>();
        v1.MapGet("/accounts/region", GetRegion).WithName("TrackRegion");
        endpoints.MapTrackApiV2();
        return endpoints;
    }

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> IdentifyAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, CancellationToken cancellationToken) =>
        BodyOperationAsync(http, workspace, identifier, people, emptyIsObject: true, (body, reference) =>
        {
            Dictionary<string, AttributeValue> attributes = [];
            List<RelationshipInput>? relationships = null;
            var action = RelationshipAction.Add;
            var problem = TrackInput.RequireObject(body, "body") ?? TrackInput.ReadAttributes(body, "", out attributes)
                ?? RelationshipReader.ReadV1(body, out action, out relationships);
            attributes.Remove(ReservedKeys.Relationships);
            return (problem, new IdentifyOperation(reference, attributes, relationships) { RelationshipAction = action });
        }, cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> DeleteAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, CancellationToken cancellationToken) =>
        PathOperationAsync(http, workspace, identifier, people, reference => new DeletePersonOperation(reference), cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> SuppressAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, CancellationToken cancellationToken) =>
        PathOperationAsync(http, workspace, identifier, people, reference => new SuppressOperation(reference), cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> UnsuppressAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, CancellationToken cancellationToken) =>
        PathOperationAsync(http, workspace, identifier, people, reference => new UnsuppressOperation(reference), cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> TrackEventAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, CancellationToken cancellationToken) =>
        BodyOperationAsync(http, workspace, identifier, people, emptyIsObject: false, (body, reference) =>
        {
            EventInput? input = null;
            var problem = TrackInput.RequireObject(body, "body") ?? TrackInput.ReadEvent(body, "data", null, out input);
            return (problem, problem is null ? new TrackEventOperation(reference, input!) : null);
        }, cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> TrackAnonymousEventAsync(HttpContext http, ApiWorkspace workspace, PeopleService people, CancellationToken cancellationToken) =>
        BodyOperationAsync(http, workspace, null, people, emptyIsObject: false, (body, _) =>
        {
            string? anonymousId = null;
            EventInput? input = null;
            var problem = TrackInput.RequireObject(body, "body")
                ?? TrackInput.ReadString(body, "anonymous_id", required: false, out anonymousId)
                ?? TrackInput.ReadEvent(body, "data", null, out input);
            return (problem, problem is null ? new TrackAnonymousEventOperation(string.IsNullOrEmpty(anonymousId) ? null : anonymousId, input!) : null);
        }, cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> UpsertDeviceAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, CancellationToken cancellationToken) =>
        BodyOperationAsync(http, workspace, identifier, people, emptyIsObject: false, (body, reference) =>
        {
            DeviceInput? device = null;
            var problem = TrackInput.RequireObject(body, "body") ?? TrackInput.ReadDevice(body, "id", out device);
            return (problem, problem is null ? new UpsertDeviceOperation(reference, device!) : null);
        }, cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> RemoveDeviceAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PathText token, PeopleService people, CancellationToken cancellationToken) =>
        PathOperationAsync(http, workspace, identifier, people, reference => new RemoveDeviceOperation(reference, token.Value), cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> MergeAsync(HttpContext http, ApiWorkspace workspace, PeopleService people, CancellationToken cancellationToken) =>
        BodyOperationAsync(http, workspace, null, people, emptyIsObject: false, (body, _) =>
        {
            var mode = workspace.Identifiers;
            PersonReference primary = default, secondary = default;
            var problem = TrackInput.RequireObject(body, "body")
                ?? TrackInput.ReadReference(body, "primary", mode, out primary)
                ?? TrackInput.ReadReference(body, "secondary", mode, out secondary);
            return (problem, new MergeOperation(primary, secondary));
        }, cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> AddToSegmentAsync(
        HttpContext http, ApiWorkspace workspace, PathText segmentId, PeopleService people, string? id_type, CancellationToken cancellationToken) =>
        SegmentMembershipAsync(http, workspace, segmentId, people, id_type, (segment, references) => new AddToSegmentOperation(segment, references), cancellationToken);

    internal static Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> RemoveFromSegmentAsync(
        HttpContext http, ApiWorkspace workspace, PathText segmentId, PeopleService people, string? id_type, CancellationToken cancellationToken) =>
        SegmentMembershipAsync(http, workspace, segmentId, people, id_type, (segment, references) => new RemoveFromSegmentOperation(segment, references), cancellationToken);

    /// <summary>
    /// Answers this server's public address: clients that look up their region keep talking to PeopleAdmin.
    /// Never the request's Host header, which a client controls.
    /// </summary>
    internal static Ok<RegionBody> GetRegion(ApiWorkspace workspace, PublicAddress address) =>
        TypedResults.Ok(new RegionBody(address.Root, "us", workspace.Id));

    private static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> SegmentMembershipAsync(
        HttpContext http,
        ApiWorkspace workspace,
        PathText segmentPath,
        PeopleService people,
        string? idType,
        Func<int, IReadOnlyList<PersonReference>, PeopleOperation> create,
        CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken, BodyKind.JsonOrForm);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            var segmentText = segmentPath.Value;
            if (!int.TryParse(segmentText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var segmentId))
            {
                return Error(ApiProblem.Invalid("segment_id", $"segment_id must be a manual segment's number; it was '{segmentText}'."));
            }

            if (TrackInput.RequireProperty(document!.RootElement, "ids", JsonValueKind.Array, "ids is required: an array of the people's identifiers.", out var ids) is { } notIds)
            {
                return Error(notIds);
            }

            var count = ids.GetArrayLength();
            if (count is 0 or > TrackInput.MaxSegmentIds)
            {
                return Error(ApiProblem.Invalid("ids", $"ids must hold between 1 and {TrackInput.MaxSegmentIds} identifiers; it held {count}."));
            }

            var mode = workspace.Identifiers;
            var references = new List<PersonReference>(count);
            var index = 0;
            foreach (var item in ids.EnumerateArray())
            {
                var value = item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString(),
                    JsonValueKind.Number when item.TryGetInt64(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => null,
                };
                if (string.IsNullOrEmpty(value))
                {
                    return Error(ApiProblem.Invalid($"ids[{index}]", $"ids[{index}] must be a non-empty string; it was {TrackInput.Kind(item)}."));
                }

                if (TrackInput.ReferenceByType(idType, value, mode, "id_type", out var reference) is { } typeProblem)
                {
                    return Error(typeProblem);
                }

                references.Add(reference);
                index++;
            }

            return await RunAsync(workspace, people, create(segmentId, references), cancellationToken);
        }
    }

    /// <summary>
    /// The shape every v1 endpoint with a JSON body shares: read the body within its size limit, classify the path's
    /// <paramref name="identifier"/> (when the endpoint has one), let <paramref name="parse"/> name the first bad field or build the
    /// operation, and run it.
    /// </summary>
    private static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> BodyOperationAsync(
        HttpContext http,
        ApiWorkspace workspace,
        PathText? identifier,
        PeopleService people,
        bool emptyIsObject,
        Func<JsonElement, PersonReference, (ApiProblem? Problem, PeopleOperation? Operation)> parse,
        CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject, cancellationToken, BodyKind.JsonOrForm);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            var reference = default(PersonReference);
            if (identifier is not null && PathReference(identifier, workspace, out reference) is { } pathProblem)
            {
                return Error(pathProblem);
            }

            var (bodyProblem, operation) = parse(document!.RootElement, reference);
            return bodyProblem is not null ? Error(bodyProblem) : await RunAsync(workspace, people, operation!, cancellationToken);
        }
    }

    private static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> PathOperationAsync(
        HttpContext http, ApiWorkspace workspace, PathText identifier, PeopleService people, Func<PersonReference, PeopleOperation> create, CancellationToken cancellationToken)
    {
        // The body of these endpoints carries nothing, but a body over the limit or of another type is still refused.
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: true, cancellationToken, BodyKind.JsonOrForm);
        document?.Dispose();
        if (problem is { Status: StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType })
        {
            return Error(problem);
        }

        if (PathReference(identifier, workspace, out var reference) is { } pathProblem)
        {
            return Error(pathProblem);
        }

        return await RunAsync(workspace, people, create(reference), cancellationToken);
    }

    /// <summary>The path's identifier classified by the workspace's mode.</summary>
    private static ApiProblem? PathReference(PathText identifier, ApiWorkspace workspace, out PersonReference reference)
    {
        reference = PersonReference.Classify(identifier.Value, workspace.Identifiers);
        if (identifier.Value.Length == 0 || (reference.Kind == ReferenceKind.CioId && reference.Value.Length == 0))
        {
            return ApiProblem.Invalid("identifier", "The path's identifier is empty; cio_ must be followed by the person's cio_id.");
        }

        return null;
    }

    private static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V1ErrorBody>>> RunAsync(
        ApiWorkspace workspace, PeopleService people, PeopleOperation operation, CancellationToken cancellationToken)
    {
        if (OperationValidator.Validate(operation) is { } invalid)
        {
            return Error(TrackResults.Problem(invalid));
        }

        var result = await people.ExecuteAsync(TrackResults.Context(workspace), operation, cancellationToken);
        return result.Status == OperationStatus.Rejected ? Error(TrackResults.Problem(result.Error!)) : TypedResults.Ok(EmptyBody.Instance);
    }

    private static JsonHttpResult<V1ErrorBody> Error(ApiProblem problem) =>
        TypedResults.Json(new V1ErrorBody(new V1ErrorMeta([problem.Message])), statusCode: problem.Status);
}

internal static class TrackResults
{
    public static OperationContext Context(ApiWorkspace workspace) => new(workspace.Id, Sources.Api, "track_api:" + workspace.SiteId);

    /// <summary>The HTTP answer to an error of the identity service.</summary>
    public static ApiProblem Problem(RequestError error)
    {
        var status = error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
            ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
            ErrorKind.Failed => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status400BadRequest,
        };
        var reason = ApiErrors.Reason(status);
        var message = error.Kind == ErrorKind.Failed
            ? "The server failed to apply the request; nothing was changed. The error is logged."
            : error.Message;
        return new ApiProblem(status, error.Field, message) { Reason = reason };
    }
}

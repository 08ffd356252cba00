using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.TrackApi;

/// <summary>
/// Customer.io's Track API v2 (<c>/api/v2</c>): one self-describing operation per entity request, or a batch of
/// them; errors <c>{"errors": [{reason, field, message}]}</c>, with <c>batch_index</c> in a batch's 207.
/// </summary>
internal static class TrackApiV2
{
    public const int EntityLimit = 32 * 1024;
    public const int BatchLimit = 500 * 1024;

    /// <summary>How many of a 207's errors are listed in full; the count of the rest is <c>errors_omitted</c>.</summary>
    public const int ListedErrors = 100;

    /// <summary>A 207: the first <see cref="ListedErrors"/> errors by <c>batch_index</c>, and how many more there were.</summary>
    public sealed record BatchErrorsBody(
        IReadOnlyList<V2Error> Errors,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ErrorsOmitted);

    public sealed record BatchRequest(IReadOnlyList<Dictionary<string, JsonElement>> Batch);

    public static IEndpointRouteBuilder MapTrackApiV2(this IEndpointRouteBuilder endpoints)
    {
        var v2 = endpoints.MapGroup("/api/v2").RequireAuthorization(ApiPolicies.Track).RequireRateLimiting(ApiPolicies.Track)
            .WithApiErrors(ErrorShape.TrackV2).WithTags("Track API v2");
        v2.MapPost("/entity", EntityAsync).WithName("TrackEntity").AcceptsJson<Dictionary<string, JsonElement>>();
        v2.MapPost("/batch", BatchAsync).WithName("TrackBatch").AcceptsJson<BatchRequest>()
            .Produces<BatchErrorsBody>(StatusCodes.Status207MultiStatus);
        return endpoints;
    }

    internal static async Task<Results<Ok<EmptyBody>, JsonHttpResult<V2ErrorBody>>> EntityAsync(
        HttpContext http, ApiWorkspace workspace, PeopleService people, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, EntityLimit, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            var mode = workspace.Identifiers;
            if (Parse(document!.RootElement, mode, out var operation) is { } parseProblem)
            {
                return Error(parseProblem);
            }

            if (OperationValidator.Validate(operation!) is { } invalid)
            {
                return Error(TrackResults.Problem(invalid));
            }

            var result = await people.ExecuteAsync(TrackResults.Context(workspace), operation!, cancellationToken);
            return result.Status == OperationStatus.Rejected ? Error(TrackResults.Problem(result.Error!)) : TypedResults.Ok(EmptyBody.Instance);
        }
    }

    /// <summary>
    /// Applies the good items through the identity service's batch entry point, in order; each bad item fails alone
    /// and is listed by its <c>batch_index</c> in a 207.
    /// </summary>
    internal static async Task<Results<Ok<EmptyBody>, JsonHttpResult<BatchErrorsBody>, JsonHttpResult<V2ErrorBody>>> BatchAsync(
        HttpContext http, ApiWorkspace workspace, PeopleService people, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, BatchLimit, emptyIsObject: false, cancellationToken, BodyKind.JsonItems);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            if (TrackInput.RequireProperty(document!.RootElement, "batch", JsonValueKind.Array, "batch is required: an array of operations.", out var batch) is { } notBatch)
            {
                return Error(notBatch);
            }

            var mode = workspace.Identifiers;
            var errors = new List<V2Error>();
            var operations = new List<PeopleOperation>();
            var indexes = new List<int>();
            var index = 0;
            foreach (var item in batch.EnumerateArray())
            {
                PeopleOperation? operation = null;
                var itemProblem = Encoding.UTF8.GetByteCount(item.GetRawText()) > EntityLimit
                    ? new ApiProblem(StatusCodes.Status413PayloadTooLarge, "", $"This operation is larger than the limit of {ApiRequest.Describe(EntityLimit)} for one operation.")
                    : TextRules.FindMalformed(item, "") is { } malformed
                    ? ApiProblem.Invalid(malformed, TextRules.MalformedMessage(malformed))
                    : Parse(item, mode, out operation) ?? (OperationValidator.Validate(operation!) is { } invalid ? TrackResults.Problem(invalid) : null);
                if (itemProblem is not null)
                {
                    errors.Add(new V2Error(index, itemProblem.Reason, itemProblem.Field, itemProblem.Message));
                }
                else
                {
                    operations.Add(operation!);
                    indexes.Add(index);
                }

                index++;
            }

            var results = await people.ExecuteBatchAsync(TrackResults.Context(workspace), operations, cancellationToken);
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i] is { Status: OperationStatus.Rejected, Error: { } error })
                {
                    var mapped = TrackResults.Problem(error);
                    errors.Add(new V2Error(indexes[i], mapped.Reason, mapped.Field, mapped.Message));
                }
            }

            if (errors.Count == 0)
            {
                return TypedResults.Ok(EmptyBody.Instance);
            }

            // A small body of bad items must not answer with megabytes of errors.
            errors.Sort((a, b) => a.BatchIndex!.Value.CompareTo(b.BatchIndex!.Value));
            var omitted = errors.Count - ListedErrors;
            return TypedResults.Json(
                new BatchErrorsBody(omitted > 0 ? errors[..ListedErrors] : errors, omitted > 0 ? omitted : null),
                statusCode: StatusCodes.Status207MultiStatus);
        }
    }

    /// <summary>Reads one v2 operation into the identity service's operation, or says what is wrong with it.</summary>
    internal static ApiProblem? Parse(JsonElement item, IdentifierMode mode, out PeopleOperation? operation)
    {
        operation = null;
        if (TrackInput.RequireObject(item, "body") is { } notObject)
        {
            return notObject;
        }

        if (TrackInput.ReadString(item, "type", required: true, out var type) is { } typeProblem)
        {
            return typeProblem;
        }

        if (TrackInput.ReadString(item, "action", required: true, out var action) is { } actionProblem)
        {
            return actionProblem;
        }

        if (type == "object")
        {
            return ParseObject(item, action!, mode, out operation);
        }

        if (type != "person")
        {
            return type == "delivery"
                ? ApiProblem.Invalid("type", "Delivery operations are not available in PeopleAdmin: it sends no messages.")
                : ApiProblem.Invalid("type", $"type must be person or object; it was '{type}'.");
        }

        if (action == "merge")
        {
            var secondary = default(PersonReference);
            var mergeProblem = TrackInput.ReadReference(item, "primary", mode, out var primary)
                ?? TrackInput.ReadReference(item, "secondary", mode, out secondary);
            operation = mergeProblem is null ? new MergeOperation(primary, secondary) : null;
            return mergeProblem;
        }

        if (!Actions.Contains(action))
        {
            return ApiProblem.Invalid("action", $"action must be one of {string.Join(", ", Actions)} or merge; it was '{action}'.");
        }

        if (TrackInput.ReadReference(item, "identifiers", mode, out var reference) is { } referenceProblem)
        {
            return referenceProblem;
        }

        List<RelationshipInput>? relationships = null;
        if (item.TryGetProperty("cio_relationships", out var relationshipsElement) && relationshipsElement.ValueKind != JsonValueKind.Null
            && action is "identify" or "add_relationships" or "delete_relationships"
            && RelationshipReader.ReadObjects(relationshipsElement, "cio_relationships", out relationships) is { } relationshipsProblem)
        {
            return relationshipsProblem;
        }

        switch (action)
        {
            case "add_relationships" or "delete_relationships":
                operation = relationships is null ? null
                    : new RelatePersonOperation(reference, action == "add_relationships" ? RelationshipAction.Add : RelationshipAction.Delete, relationships);
                return relationships is null ? ApiProblem.Invalid("cio_relationships", "cio_relationships is required: an array of objects to relate.") : null;
            case "identify":
                var attributesElement = item.TryGetProperty("attributes", out var found) ? found : default;
                if (TrackInput.ReadAttributes(attributesElement, "attributes.", out var attributes) is { } attributesProblem)
                {
                    return attributesProblem;
                }

                if (TrackInput.ReadTimestamp(item, "timestamp", out var timestamp) is { } timestampProblem)
                {
                    return timestampProblem;
                }

                // v2 carries the write's own time beside the attributes; the rules read it as _timestamp.
                if (timestamp is { } at && !attributes.ContainsKey("_timestamp"))
                {
                    attributes["_timestamp"] = AttributeValue.FromNumber(at);
                }

                operation = new IdentifyOperation(reference, attributes, relationships);
                return null;
            case "delete":
                operation = new DeletePersonOperation(reference);
                return null;
            case "suppress":
                operation = new SuppressOperation(reference);
                return null;
            case "unsuppress":
                operation = new UnsuppressOperation(reference);
                return null;
            case "event" or "page" or "screen":
                var eventProblem = TrackInput.ReadEvent(item, "attributes", action, out var input);
                operation = eventProblem is null ? new TrackEventOperation(reference, input!) : null;
                return eventProblem;
            case "add_device":
                var deviceProblem = TrackInput.ReadDevice(item, "token", out var device);
                operation = deviceProblem is null ? new UpsertDeviceOperation(reference, device!) : null;
                return deviceProblem;
            default:
                if (!item.TryGetProperty("device", out var deviceElement) || deviceElement.ValueKind != JsonValueKind.Object)
                {
                    return ApiProblem.Invalid("device", "device is required: {\"device\": {\"token\": \"<token>\"}}.");
                }

                if (TrackInput.ReadString(deviceElement, "token", required: true, out var token, "device.") is { } tokenProblem)
                {
                    return tokenProblem;
                }

                operation = new RemoveDeviceOperation(reference, token!);
                return null;
        }
    }

    /// <summary>An object operation: identify (with the people to relate), delete, add or delete relationships.</summary>
    private static ApiProblem? ParseObject(JsonElement item, string action, IdentifierMode mode, out PeopleOperation? operation)
    {
        operation = null;
        if (!ObjectActions.Contains(action))
        {
            return action == "identify_anonymous"
                ? ApiProblem.Invalid("action", "identify_anonymous is not available in PeopleAdmin: objects relate to identified people only; relate the person once they are identified.")
                : ApiProblem.Invalid("action", $"an object's action must be one of {string.Join(", ", ObjectActions)}; it was '{action}'.");
        }

        if (RelationshipReader.ReadObject(item, "identifiers", out var reference) is { } referenceProblem)
        {
            return referenceProblem;
        }

        List<RelatedPersonInput>? people = null;
        if (item.TryGetProperty("cio_relationships", out var peopleElement) && peopleElement.ValueKind != JsonValueKind.Null && action != "delete"
            && RelationshipReader.ReadPeople(peopleElement, "cio_relationships", mode, out people) is { } peopleProblem)
        {
            return peopleProblem;
        }

        switch (action)
        {
            case "identify":
                var attributesElement = item.TryGetProperty("attributes", out var found) ? found : default;
                var attributesProblem = TrackInput.ReadAttributes(attributesElement, "attributes.", out var attributes);
                operation = attributesProblem is null ? new IdentifyObjectOperation(reference, attributes, people) : null;
                return attributesProblem;
            case "delete":
                operation = new DeleteObjectOperation(reference);
                return null;
            default:
                operation = people is null ? null
                    : new RelateObjectOperation(reference, action == "add_relationships" ? RelationshipAction.Add : RelationshipAction.Delete, people);
                return people is null ? ApiProblem.Invalid("cio_relationships", "cio_relationships is required: an array of the people to relate, each {\"identifiers\": {\"id\": \"42\"}}.") : null;
        }
    }

    private static readonly string[] Actions =
        ["identify", "delete", "event", "page", "screen", "add_device", "delete_device", "suppress", "unsuppress", "add_relationships", "delete_relationships"];

    private static readonly string[] ObjectActions = ["identify", "delete", "add_relationships", "delete_relationships"];

    private static JsonHttpResult<V2ErrorBody> Error(ApiProblem problem) =>
        TypedResults.Json(new V2ErrorBody([new V2Error(null, problem.Reason, problem.Field, problem.Message)]), statusCode: problem.Status);
}

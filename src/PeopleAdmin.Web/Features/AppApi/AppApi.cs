using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.AppApi;

/// <summary>
/// Customer.io's App API people endpoints (<c>/v1</c>): <c>Authorization: Bearer &lt;app_api_key&gt;</c>, reads of
/// the workspace the key belongs to, and manual segments.
/// </summary>
internal static class AppApi
{
    public sealed record CustomerSearchResult(string? Email, string? Id, string CioId);

    public sealed record CustomerSearchBody(IReadOnlyList<CustomerSearchResult> Results);

    public sealed record Identifiers(string? Email, string? Id, string CioId);

    public sealed record DeviceBody(string Id, string Platform, long? LastUsed, JsonElement? Attributes);

    public sealed record CustomerAttributes(
        string? Id,
        Identifiers Identifiers,
        IReadOnlyDictionary<string, string> Attributes,
        IReadOnlyDictionary<string, long> Timestamps,
        bool Unsubscribed,
        IReadOnlyList<DeviceBody> Devices);

    public sealed record CustomerAttributesBody(CustomerAttributes Customer);

    public sealed record ActivityIdentifiers(string? Email, string? Id, string? CioId);

    public sealed record ActivityBody(
        string Id,
        string Type,
        string? Name,
        long Timestamp,
        string? CustomerId,
        ActivityIdentifiers? CustomerIdentifiers,
        JsonElement? Data);

    public sealed record ActivitiesBody(IReadOnlyList<ActivityBody> Activities, string? Next);

    public sealed record SegmentBody(int Id, string Name, string? Description, string Type, long CreatedAt, int Members);

    public sealed record SegmentsBody(IReadOnlyList<SegmentBody> Segments);

    public sealed record SegmentCreatedBody(SegmentBody Segment);

    public sealed record SegmentInput(string? Name, string? Description);

    public sealed record CreateSegmentRequest(SegmentInput? Segment);

    public static IEndpointRouteBuilder MapAppApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").RequireAuthorization(ApiPolicies.App).RequireRateLimiting(ApiPolicies.App)
            .WithApiErrors(ErrorShape.App).WithTags("App API");
        v1.MapGet("/customers", FindByEmailAsync).WithName("AppFindCustomersByEmail");
        v1.MapGet("/customers/{identifier}/attributes", GetAttributesAsync).WithName("AppCustomerAttributes");
        v1.MapGet("/customers/{identifier}/activities", GetCustomerActivitiesAsync).WithName("AppCustomerActivities");
        v1.MapGet("/customers/{identifier}/segments", GetCustomerSegmentsAsync).WithName("AppCustomerSegments");
        v1.MapGet("/activities", GetActivitiesAsync).WithName("AppActivities");
        v1.MapGet("/segments", ListSegmentsAsync).WithName("AppListSegments");
        v1.MapPost("/segments", CreateSegmentAsync).WithName("AppCreateSegment").AcceptsJson<CreateSegmentRequest>();
        v1.MapAudienceEndpoints();
        v1.MapAppImports();
        v1.MapObjectEndpoints();
        return endpoints;
    }

    internal static async Task<Results<Ok<CustomerSearchBody>, JsonHttpResult<AppErrorBody>>> FindByEmailAsync(
        ApiWorkspace workspace, PeopleService people, string? email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return Error(ApiProblem.Invalid("email", "email is required: /v1/customers?email=<address>."));
        }

        var found = await people.FindPeopleByEmailAsync(workspace.Id, email, cancellationToken);
        return TypedResults.Ok(new CustomerSearchBody([.. found.Select(p => new CustomerSearchResult(p.Email, p.Id, p.CioId))]));
    }

    internal static async Task<Results<Ok<CustomerAttributesBody>, JsonHttpResult<AppErrorBody>>> GetAttributesAsync(
        ApiWorkspace workspace, PathText identifier, PeopleService people, string? id_type, CancellationToken cancellationToken)
    {
        if (Reference(workspace, identifier, id_type, out var reference) is { } problem)
        {
            return Error(problem);
        }

        var person = await people.GetPersonAsync(workspace.Id, reference, cancellationToken);
        if (person is null)
        {
            return NotFound(reference);
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var timestamps = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var attribute in person.Attributes)
        {
            attributes[attribute.Name] = attribute.Value;
            timestamps[attribute.Name] = attribute.SetAt.ToUnixTimeSeconds();
        }

        attributes["cio_id"] = person.CioId;
        timestamps["cio_id"] = person.FirstSeen.ToUnixTimeSeconds();
        if (person.Id is not null)
        {
            attributes["id"] = person.Id;
            timestamps["id"] = (person.IdChanged ?? person.FirstSeen).ToUnixTimeSeconds();
        }

        if (person.Email is not null)
        {
            attributes["email"] = person.Email;
            timestamps["email"] = (person.EmailChanged ?? person.FirstSeen).ToUnixTimeSeconds();
        }

        attributes["created_at"] = person.CreatedAt.ToString(CultureInfo.InvariantCulture);
        timestamps.TryAdd("created_at", person.FirstSeen.ToUnixTimeSeconds());
        var devices = person.Devices
            .Select(d => new DeviceBody(d.Token, d.Platform, d.LastUsed, d.AttributesJson is null ? null : ParseJson(d.AttributesJson)))
            .ToList();
        return TypedResults.Ok(new CustomerAttributesBody(new CustomerAttributes(
            person.Id,
            new Identifiers(person.Email, person.Id, person.CioId),
            attributes,
            timestamps,
            person.Unsubscribed,
            devices)));
    }

    internal static async Task<Results<Ok<ActivitiesBody>, JsonHttpResult<AppErrorBody>>> GetCustomerActivitiesAsync(
        ApiWorkspace workspace,
        PathText identifier,
        PeopleService people,
        string? id_type,
        string? type,
        string? limit,
        string? start,
        CancellationToken cancellationToken)
    {
        if (Reference(workspace, identifier, id_type, out var reference) is { } problem)
        {
            return Error(problem);
        }

        var person = await people.GetPersonAsync(workspace.Id, reference, cancellationToken);
        if (person is null)
        {
            return NotFound(reference);
        }

        return await ActivitiesAsync(people, workspace.Id, person.CioId, type, limit, start, cancellationToken);
    }

    internal static Task<Results<Ok<ActivitiesBody>, JsonHttpResult<AppErrorBody>>> GetActivitiesAsync(
        ApiWorkspace workspace, PeopleService people, string? type, string? limit, string? start, CancellationToken cancellationToken) =>
        ActivitiesAsync(people, workspace.Id, null, type, limit, start, cancellationToken);

    internal static async Task<Results<Ok<SegmentsBody>, JsonHttpResult<AppErrorBody>>> GetCustomerSegmentsAsync(
        ApiWorkspace workspace, PathText identifier, PeopleService people, string? id_type, CancellationToken cancellationToken)
    {
        if (Reference(workspace, identifier, id_type, out var reference) is { } problem)
        {
            return Error(problem);
        }

        var segments = await people.GetPersonSegmentsAsync(workspace.Id, reference, cancellationToken);
        return segments is null ? NotFound(reference) : TypedResults.Ok(new SegmentsBody([.. segments.Select(ToBody)]));
    }

    internal static async Task<Ok<SegmentsBody>> ListSegmentsAsync(ApiWorkspace workspace, PeopleService people, CancellationToken cancellationToken)
    {
        var segments = await people.ListSegmentsAsync(workspace.Id, cancellationToken);
        return TypedResults.Ok(new SegmentsBody([.. segments.Select(ToBody)]));
    }

    internal static async Task<Results<Ok<SegmentCreatedBody>, JsonHttpResult<AppErrorBody>>> CreateSegmentAsync(
        HttpContext http, ApiWorkspace workspace, PeopleService people, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            const string expected = "segment is required: {\"segment\": {\"name\": \"...\", \"description\": \"...\"}}.";
            if (TrackInput.RequireProperty(document!.RootElement, "segment", JsonValueKind.Object, expected, out var segment) is { } notSegment)
            {
                return Error(notSegment);
            }

            string? description = null;
            if ((TrackInput.ReadString(segment, "name", required: true, out var name, "segment.")
                ?? TrackInput.ReadString(segment, "description", required: false, out description, "segment.")) is { } fieldProblem)
            {
                return Error(fieldProblem);
            }

            var operation = new CreateSegmentOperation(name!, description);
            if (OperationValidator.Validate(operation) is { } invalid)
            {
                return Error(TrackResults.Problem(invalid));
            }

            var result = await people.ExecuteAsync(new OperationContext(workspace.Id, Sources.Api, "app_api"), operation, cancellationToken);
            if (result.Status == OperationStatus.Rejected)
            {
                return Error(TrackResults.Problem(result.Error!));
            }

            var created = (await people.ListSegmentsAsync(workspace.Id, cancellationToken)).First(s => s.Id == result.RecordId);
            return TypedResults.Ok(new SegmentCreatedBody(ToBody(created)));
        }
    }

    private static async Task<Results<Ok<ActivitiesBody>, JsonHttpResult<AppErrorBody>>> ActivitiesAsync(
        PeopleService people, int workspaceId, string? cioId, string? type, string? limitText, string? start, CancellationToken cancellationToken)
    {
        var limit = ActivityQuery.DefaultLimit;
        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > ActivityQuery.MaxLimit))
        {
            return Error(ApiProblem.Invalid("limit", $"limit must be a whole number from 1 to {ActivityQuery.MaxLimit}; it was '{limitText}'."));
        }

        if (start is not null && !long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Error(ApiProblem.Invalid("start", "start must be the 'next' value of a previous page."));
        }

        var page = await people.GetActivityAsync(
            new ActivityQuery(workspaceId, cioId, string.IsNullOrEmpty(type) ? null : [type], limit, start), cancellationToken);
        var activities = page.Items.Select(item => new ActivityBody(
            item.EntryId.ToString(CultureInfo.InvariantCulture),
            item.Type,
            item.Name,
            item.Timestamp ?? item.At.ToUnixTimeSeconds(),
            item.Id,
            item.CioId is null ? null : new ActivityIdentifiers(item.Email, item.Id, item.CioId),
            item.Data is null ? null : ParseJson(item.Data))).ToList();
        return TypedResults.Ok(new ActivitiesBody(activities, page.Next));
    }

    /// <summary>The path's identifier read by <c>id_type</c>.</summary>
    internal static ApiProblem? Reference(ApiWorkspace workspace, PathText identifier, string? idType, out PersonReference reference) =>
        TrackInput.ReferenceByType(idType, identifier.Value, workspace.Identifiers, "identifier", out reference);

    private static JsonElement? ParseJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SegmentBody ToBody(SegmentSummary segment) =>
        new(segment.Id, segment.Name, segment.Description, "manual", segment.Created.ToUnixTimeSeconds(), segment.Members);

    internal static JsonHttpResult<AppErrorBody> NotFound(PersonReference reference) =>
        Error(new ApiProblem(StatusCodes.Status404NotFound, "identifier", $"No person in this workspace has {Describe(reference)}."));

    private static string Describe(PersonReference reference) => reference.Kind switch
    {
        ReferenceKind.CioId => $"cio_id '{reference.Value}'",
        ReferenceKind.Email => $"email '{reference.Value}'",
        _ => $"id '{reference.Value}'",
    };

    internal static JsonHttpResult<AppErrorBody> Error(ApiProblem problem) =>
        TypedResults.Json(
            new AppErrorBody(new AppErrorMeta(problem.Message), [new V2Error(null, problem.Reason, problem.Field, problem.Message)]),
            statusCode: problem.Status);
}

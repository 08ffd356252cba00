using System.Text.Json.Serialization;

namespace PeopleAdmin.Web.Features.Apis;

/// <summary>Which error body an API speaks: Customer.io's two Track shapes, and one shape for the App and management APIs.</summary>
internal enum ErrorShape
{
    TrackV1,
    TrackV2,
    App,
}

/// <summary>Track API v1 errors: <c>{"meta": {"errors": ["..."]}}</c>.</summary>
internal sealed record V1ErrorBody(V1ErrorMeta Meta);

internal sealed record V1ErrorMeta(IReadOnlyList<string> Errors);

/// <summary>Track API v2 errors: <c>{"errors": [{reason, field, message}]}</c>; in a batch each also names its <c>batch_index</c>.</summary>
internal sealed record V2ErrorBody(IReadOnlyList<V2Error> Errors);

internal sealed record V2Error(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BatchIndex,
    string Reason,
    string Field,
    string Message);

/// <summary>App and management API errors: <c>{"meta": {"error": "..."}, "errors": [{reason, field, message}]}</c>.</summary>
internal sealed record AppErrorBody(AppErrorMeta Meta, IReadOnlyList<V2Error> Errors)
{
    /// <summary>For the settings guard: what in the data stands in the way.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ConflictBody>? Conflicts { get; init; }
}

internal sealed record AppErrorMeta(string Error);

internal sealed record ConflictBody(string? CioId, string Identifier, string Value, string Reason);

/// <summary>The one success body of the Track API: exactly <c>{}</c>.</summary>
internal sealed record EmptyBody
{
    public static readonly EmptyBody Instance = new();
}

/// <summary>Builds an error body of the right shape with its status code.</summary>
internal static class ApiErrors
{
    public static IResult Create(ErrorShape shape, int status, string reason, string field, string message) => shape switch
    {
        ErrorShape.TrackV1 => TypedResults.Json(new V1ErrorBody(new V1ErrorMeta([message])), statusCode: status),
        ErrorShape.TrackV2 => TypedResults.Json(new V2ErrorBody([new V2Error(null, reason, field, message)]), statusCode: status),
        _ => TypedResults.Json(new AppErrorBody(new AppErrorMeta(message), [new V2Error(null, reason, field, message)]), statusCode: status),
    };

    public static string Reason(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status500InternalServerError => "internal",
        _ => "invalid",
    };
}

/// <summary>A request problem found before the identity service is called: status, field and message.</summary>
internal sealed record ApiProblem(int Status, string Field, string Message)
{
    public string Reason { get; init; } = ApiErrors.Reason(Status);

    public static ApiProblem Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, field, message);
}

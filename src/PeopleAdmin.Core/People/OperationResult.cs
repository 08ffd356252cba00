namespace PeopleAdmin.Core.People;

public enum OperationStatus
{
    /// <summary>The operation changed what it was asked to (failed attribute changes may still be listed).</summary>
    Applied,

    /// <summary>A valid request that the rules ignore (unknown cio_id, suppressed identifier, <c>_update</c> without a match): not an HTTP error.</summary>
    Ignored,

    /// <summary>Invalid input: nothing was applied; <see cref="OperationResult.Error"/> says what, where and why.</summary>
    Rejected,
}

public enum ErrorKind
{
    /// <summary>Malformed or over a field limit: HTTP 400.</summary>
    Invalid,

    /// <summary>A whole item over its size limit.</summary>
    TooLarge,

    /// <summary>The thing named does not exist (a segment, a merge record): HTTP 404 where the API has one.</summary>
    NotFound,

    /// <summary>The data cannot satisfy the request (settings guard, create-only add, refused undo): HTTP 409.</summary>
    Conflict,

    /// <summary>The operation threw; it was rolled back and changed nothing: HTTP 500, logged with the details.</summary>
    Failed,

    /// <summary>Over a rate limit: HTTP 429, with <see cref="RequestError.RetryAfter"/>.</summary>
    RateLimited,
}

/// <summary>What was wrong with a request: the field, and a message that names the limit or the reason.</summary>
public sealed record RequestError(ErrorKind Kind, string Field, string Message)
{
    /// <summary>For conflicts: who or what stands in the way (cio_ids, identifier values).</summary>
    public IReadOnlyList<Conflict> Conflicts { get; init; } = [];

    /// <summary>For a rate limit: when to try again.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>One conflict: the person (by cio_id, when there is one) and what about them stands in the way.</summary>
public sealed record Conflict(string? CioId, string Identifier, string Value, string Reason);

/// <summary>A person a bulk operation named and left alone, and why.</summary>
public sealed record SkippedPerson(string CioId, string Reason);

/// <summary>An identifier the request could not set; the rest of the request still applied.</summary>
public sealed record FailedAttributeChange(string Identifier, string Value, string Reason);

public sealed record OperationResult(OperationStatus Status)
{
    /// <summary>The person the operation applied to, when there is one.</summary>
    public string? CioId { get; init; }

    public bool Created { get; init; }

    public string? IgnoredReason { get; init; }

    public RequestError? Error { get; init; }

    public IReadOnlyList<FailedAttributeChange> FailedChanges { get; init; } = [];

    /// <summary>Attributes or identifiers skipped because a newer change (by <c>_timestamp</c>) was already applied.</summary>
    public IReadOnlyList<string> SkippedUpdates { get; init; } = [];

    /// <summary>When an automatic merge fired: the cio_id of the profile merged away.</summary>
    public string? MergedCioId { get; init; }

    /// <summary>The id of a created record (a merge record, a segment), when the operation makes one.</summary>
    public long? RecordId { get; init; }

    /// <summary>References of a bulk operation (segment membership) that no live person holds; the others applied.</summary>
    public IReadOnlyList<string> NotFound { get; init; } = [];

    /// <summary>For an undo: values the primary changed since the merge, which stay (also in the undo's log entry).</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>For a bulk operation: the people it left alone, each with the reason; it applied to the others.</summary>
    public IReadOnlyList<SkippedPerson> Skipped { get; init; } = [];

    public static OperationResult Rejected(ErrorKind kind, string field, string message) =>
        new(OperationStatus.Rejected) { Error = new RequestError(kind, field, message) };

    public static OperationResult Ignored(string reason, string? cioId = null) =>
        new(OperationStatus.Ignored) { IgnoredReason = reason, CioId = cioId };
}

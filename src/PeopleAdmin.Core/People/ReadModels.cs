using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People;

// What the identity service's reads answer. Times are DateTimeOffset (UTC) except the client's own unix-seconds values.

/// <summary>A person's identifiers, as lists and search results show them.</summary>
public sealed record PersonSummary(string CioId, string? Id, string? Email);

/// <summary>A person as the App API and the People page show them.</summary>
public sealed record PersonDetails(
    string CioId,
    string? Id,
    string? Email,
    DateTimeOffset FirstSeen,
    long CreatedAt,
    DateTimeOffset Updated,
    bool Unsubscribed,
    IReadOnlyList<PersonAttributeDetails> Attributes,
    IReadOnlyList<DeviceDetails> Devices,
    IReadOnlyList<SegmentSummary> Segments)
{
    /// <summary>When the identifiers were last set (for the App API's <c>timestamps</c>).</summary>
    public DateTimeOffset? IdChanged { get; init; }

    public DateTimeOffset? EmailChanged { get; init; }
}

/// <summary>One custom attribute: its type, value (text form), and when it was last set (and the writer's <c>_timestamp</c>).</summary>
public sealed record PersonAttributeDetails(string Name, AttributeType Type, string Value, DateTimeOffset SetAt, long? Timestamp);

/// <summary><paramref name="AttributesJson"/> is a JSON object, null when the device has no attributes.</summary>
public sealed record DeviceDetails(string Token, string Platform, long? LastUsed, string? AttributesJson, DateTimeOffset Updated);

public sealed record SegmentSummary(int Id, string Name, string? Description, DateTimeOffset Created, int Members);

/// <summary>
/// A page of activity, newest first: the workspace's (<paramref name="CioId"/> null) or one person's.
/// <paramref name="Types"/> filters by entry type; <paramref name="Cursor"/> is the previous page's <see cref="ActivityPage.Next"/>.
/// </summary>
public sealed record ActivityQuery(int WorkspaceId, string? CioId, IReadOnlyList<string>? Types, int Limit, string? Cursor)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;
}

/// <summary>
/// One entry of the activity log. <paramref name="Id"/> and <paramref name="Email"/> are the person's current
/// identifiers (null once deleted); <paramref name="Data"/> is JSON (event data or the entry's details).
/// </summary>
public sealed record ActivityItem(
    long EntryId,
    string Type,
    string? Name,
    DateTimeOffset At,
    long? Timestamp,
    string Source,
    string? CioId,
    string? Id,
    string? Email,
    string? AnonymousId,
    string? Data,
    string? Actor = null);

/// <summary><paramref name="Next"/> is an opaque cursor for the following page, null on the last.</summary>
public sealed record ActivityPage(IReadOnlyList<ActivityItem> Items, string? Next);

/// <summary>A past merge, for explaining and undoing it.</summary>
public sealed record MergeSummary(long Id, string PrimaryCioId, string SecondaryCioId, DateTimeOffset At, string Source, string? Actor, DateTimeOffset? Undone);

/// <summary>One suppressed identifier and the group it was suppressed with.</summary>
public sealed record SuppressionEntry(long GroupId, IdentifierKind Kind, string Value, string? CioId, DateTimeOffset Created)
{
    /// <summary>Where the suppression came from (<c>api</c>, <c>ui</c>, …).</summary>
    public string Source { get; init; } = "";
}

/// <summary>A page of the suppression list, newest first, and how many entries match in all.</summary>
public sealed record SuppressionPage(IReadOnlyList<SuppressionEntry> Entries, int Total);

/// <summary>
/// What a merge would do, computed without writing. <see cref="Error"/> is set (NotFound, Invalid) when the merge
/// cannot happen; then the rest is empty.
/// </summary>
public sealed record MergePreview
{
    public RequestError? Error { get; init; }

    public PersonSummary? Primary { get; init; }

    public PersonSummary? Secondary { get; init; }

    /// <summary>The survivor's identifiers after the merge.</summary>
    public PersonSummary? Result { get; init; }

    /// <summary>Every attribute either holds, and which value wins.</summary>
    public IReadOnlyList<MergeAttributePreview> Attributes { get; init; } = [];

    /// <summary>When PeopleAdmin first saw each: the older is the primary unless the operator chooses otherwise.</summary>
    public DateTimeOffset PrimaryFirstSeen { get; init; }

    public DateTimeOffset SecondaryFirstSeen { get; init; }

    public int ActivityMoving { get; init; }

    /// <summary>Of <see cref="ActivityMoving"/>, the events, page and screen views.</summary>
    public int EventsMoving { get; init; }

    public int DevicesMoving { get; init; }

    /// <summary>Names of the manual segments the primary joins.</summary>
    public IReadOnlyList<string> SegmentsJoining { get; init; } = [];
}

/// <param name="FromSecondary">True when the secondary's value fills what the primary lacks.</param>
public sealed record MergeAttributePreview(string Name, string? PrimaryValue, string? SecondaryValue, bool FromSecondary)
{
    public string? Result => FromSecondary ? SecondaryValue : PrimaryValue;
}

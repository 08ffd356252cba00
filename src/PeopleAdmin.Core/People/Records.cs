namespace PeopleAdmin.Core.People;

public enum IdentifierKind : byte
{
    Id = 1,
    Email = 2,
}

/// <summary>A suppressed identifier. A group is what one suppress put on the list; unsuppress takes it off whole.</summary>
public sealed class Suppression
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long GroupId { get; set; }

    public IdentifierKind Kind { get; set; }

    public required string Value { get; set; }

    /// <summary>The value as matched: emails trimmed and lower-cased, ids as sent (<see cref="KeyOf"/>).</summary>
    public required string ValueKey { get; set; }

    public static string KeyOf(IdentifierKind kind, string value) => kind == IdentifierKind.Email ? Person.NormalizeEmail(value) : value;

    /// <summary>The cio_id of the person whose suppression made the group, if one did.</summary>
    public string? CioId { get; set; }

    public required string Source { get; set; }

    public long CreatedMs { get; set; }
}

/// <summary>
/// The activity log, per person and per workspace. Events, page and screen views are entries too: an anonymous
/// event is an entry with an <see cref="AnonymousId"/> and no person until an identify claims it.
/// </summary>
public sealed class Activity
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long? PersonId { get; set; }

    /// <summary>Kept after the person is deleted, so the workspace log still says whose entry it was.</summary>
    public string? CioId { get; set; }

    public required string Type { get; set; }

    public required string Source { get; set; }

    public long AtMs { get; set; }

    /// <summary>The event's own time (unix seconds) for events, pages and screens.</summary>
    public long? Timestamp { get; set; }

    /// <summary>Event name, page URL or screen name.</summary>
    public string? Name { get; set; }

    /// <summary>JSON: event data, or the entry's details (from/to, reasons).</summary>
    public string? Data { get; set; }

    public string? AnonymousId { get; set; }

    /// <summary>The client's event id (a ULID): an id seen before in the workspace is ignored.</summary>
    public string? DedupId { get; set; }

    /// <summary>The operator (their email) whose change this was; null for the APIs, imports and other machines.</summary>
    public string? Actor { get; set; }
}

public sealed class Device
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long PersonId { get; set; }

    public required string Token { get; set; }

    public required string Platform { get; set; }

    public long? LastUsed { get; set; }

    /// <summary>JSON object of the device's attributes.</summary>
    public string? Attributes { get; set; }

    public long UpdatedMs { get; set; }
}

/// <summary>A manual segment: a static group of people.</summary>
public sealed class Segment
{
    public int Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public long CreatedMs { get; set; }
}

public sealed class SegmentMembership
{
    public int SegmentId { get; set; }

    public long PersonId { get; set; }

    public int WorkspaceId { get; set; }

    public long AddedMs { get; set; }
}

/// <summary>What a merge did, with both profiles as they were, so that it can be explained and undone.</summary>
public sealed class MergeRecord
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long PrimaryPersonId { get; set; }

    public required string PrimaryCioId { get; set; }

    /// <summary>Retired by the merge and reserved for the secondary: undo restores it, nobody else gets it.</summary>
    public required string SecondaryCioId { get; set; }

    public required string Source { get; set; }

    public string? Actor { get; set; }

    public long AtMs { get; set; }

    /// <summary>JSON snapshot of both profiles and of what moved.</summary>
    public required string Snapshot { get; set; }

    public long? UndoneMs { get; set; }
}

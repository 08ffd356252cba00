namespace PeopleAdmin.Core.LeadAds;

/// <summary>
/// A workspace's connection to Facebook Lead Ads: the Facebook app's secret (signs the webhook), the verify token (the
/// subscription handshake), the Pages whose leads are read, and the field mapping. Secrets are stored encrypted with
/// Data Protection and never shown again.
/// </summary>
public sealed class LeadAdConnection
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string ProtectedAppSecret { get; set; }

    public required string ProtectedVerifyToken { get; set; }

    /// <summary>The Graph API version in a lead's path, such as <c>v25.0</c>.</summary>
    public required string GraphVersion { get; set; }

    /// <summary>The default mapping as the management API takes it (<c>{"field": "id"|"email"|"attribute:name"|"ignore"}</c>); null maps by name.</summary>
    public string? MappingJson { get; set; }

    /// <summary>Mappings of single lead forms, <c>{"form id": {mapping}}</c>; a form without one uses <see cref="MappingJson"/>.</summary>
    public string? FormMappingsJson { get; set; }

    public long UpdatedMs { get; set; }

    public List<LeadAdPage> Pages { get; set; } = [];
}

/// <summary>A Facebook Page of a connection, with its Page access token (encrypted) that reads its leads.</summary>
public sealed class LeadAdPage
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long ConnectionId { get; set; }

    public required string PageId { get; set; }

    public required string ProtectedAccessToken { get; set; }
}

public enum LeadState : byte
{
    /// <summary>Received from the webhook; to be fetched from the Graph API (again, after a failure that may pass).</summary>
    Waiting = 0,

    /// <summary>Fetched and applied to the people store.</summary>
    Applied = 1,

    /// <summary>Given up on: a permanent error, or too many attempts. An operator may retry it.</summary>
    Failed = 2,
}

/// <summary>
/// A <c>leadgen</c> notification as received, kept until its lead has been applied: a restart loses nothing, and Meta's
/// retries (for up to 36 hours) find the same row through the unique (workspace, leadgen id) index.
/// </summary>
public sealed class ReceivedLead
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string LeadgenId { get; set; }

    public required string PageId { get; set; }

    public string? FormId { get; set; }

    public string? AdId { get; set; }

    public LeadState State { get; set; }

    public int Attempts { get; set; }

    public long NextAttemptMs { get; set; }

    /// <summary>Why the last attempt failed, for the page.</summary>
    public string? Error { get; set; }

    public long ReceivedMs { get; set; }

    public long? AppliedMs { get; set; }

    /// <summary>The person the lead applied to.</summary>
    public string? CioId { get; set; }
}

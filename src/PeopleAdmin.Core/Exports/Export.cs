namespace PeopleAdmin.Core.Exports;

public enum ExportStatus : byte
{
    Pending = 1,
    Running = 2,
    Done = 3,
    Failed = 4,
}

/// <summary>
/// An export of a workspace's people to CSV: what was asked (the filter as audience filter JSON, the attributes),
/// how far it got, and where the file is. Times are unix milliseconds on the server's clock.
/// </summary>
public sealed class Export
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string FilterJson { get; set; }

    /// <summary>The attribute columns after the identifiers, as a JSON array of names.</summary>
    public required string AttributesJson { get; set; }

    /// <summary>Name the identifier columns as the data warehouse does (<c>internal_customer_id</c>, <c>external_customer_id</c>).</summary>
    public bool WarehouseNames { get; set; }

    public ExportStatus Status { get; set; }

    /// <summary>How many people matched, once counted.</summary>
    public long? Total { get; set; }

    /// <summary>Rows written so far.</summary>
    public long Written { get; set; }

    public string? Error { get; set; }

    /// <summary>Who asked: an operator's email, or <c>app_api</c>.</summary>
    public required string RequestedBy { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }
}

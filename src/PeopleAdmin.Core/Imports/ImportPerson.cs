namespace PeopleAdmin.Core.Imports;

public enum ImportPersonOutcome : byte
{
    Created = 1,
    Updated = 2,
}

/// <summary>
/// A person a people import created or updated: once per person (created wins over updated), with the first row that
/// named them. Kept by cio_id, which never changes and outlives the person, so that someone deleted or merged away
/// since is still listed; written in the batch's transaction (<see cref="ImportBatchOperation"/>), never by a dry run.
/// </summary>
public sealed class ImportPerson
{
    public int WorkspaceId { get; set; }

    public long ImportId { get; set; }

    public required string CioId { get; set; }

    public ImportPersonOutcome Outcome { get; set; }

    /// <summary>The row as a spreadsheet numbers it (the header is row 1), as <see cref="ImportProblem.Row"/>.</summary>
    public long Row { get; set; }
}

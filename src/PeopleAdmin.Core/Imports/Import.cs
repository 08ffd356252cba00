namespace PeopleAdmin.Core.Imports;

/// <summary>An import's states, as the contract names them.</summary>
public enum ImportState : byte
{
    /// <summary>Waiting in the queue, or the file is being read and checked.</summary>
    Preprocessing = 1,

    /// <summary>A dry run finished: the counts say what a run would do; <c>start</c> runs it.</summary>
    Validated = 2,

    Importing = 3,
    Imported = 4,
    Failed = 5,
    Canceled = 6,
}

/// <summary>
/// One import of a file (or of rows from another source) into a workspace: who asked, when, the file, its options,
/// how far it got and what happened to its rows. <see cref="RowsCommitted"/> is written in the same transaction as
/// the rows it counts, so that a restart resumes after exactly those rows.
/// </summary>
public sealed class Import
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public ImportState State { get; set; }

    /// <summary>
    /// Where the rows come from, and the activity log's source for what they do: <c>csv</c> (a file, uploaded or fetched:
    /// the queue runs it) or <c>sync</c> (a database sync's run, which streams its rows in itself: no file, never queued).
    /// </summary>
    public string Source { get; set; } = People.Sources.Csv;

    /// <summary>The original file name (or the URL it came from; for a sync, the sync's name).</summary>
    public required string FileName { get; set; }

    /// <summary>The options as the contract's JSON, with the detected encoding and delimiter filled in.</summary>
    public required string OptionsJson { get; set; }

    /// <summary>Who asked: an operator's email, the management API's bootstrap token, or <c>app_api</c>.</summary>
    public required string RequestedBy { get; set; }

    /// <summary>Customer.io's <c>name</c> and <c>description</c> (App API imports).</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    public long FileBytes { get; set; }

    /// <summary>An App API import's <c>data_file_url</c>: the file is fetched when the import runs.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>Data rows in the file (the header excluded), once counted.</summary>
    public long? RowsToImport { get; set; }

    /// <summary>Data rows whose outcome is committed (a dry run: checked), from the first; a resume starts after them.</summary>
    public long RowsCommitted { get; set; }

    public long RowsCreated { get; set; }

    public long RowsUpdated { get; set; }

    public long RowsSkipped { get; set; }

    public long RowsFailed { get; set; }

    public long Warnings { get; set; }

    /// <summary>Why the import failed, when it did.</summary>
    public string? Error { get; set; }

    /// <summary>Set when cancel was asked; the running import stops after its current batch.</summary>
    public bool CancelRequested { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }

    public long? StartedMs { get; set; }

    public long? FinishedMs { get; set; }
}

public enum ImportProblemKind : byte
{
    Error = 1,
    Warning = 2,
}

/// <summary>An error (the row was not applied) or a warning (it was, or it was skipped, with something to say) about one row.</summary>
public sealed class ImportProblem
{
    public long Id { get; set; }

    public long ImportId { get; set; }

    public int WorkspaceId { get; set; }

    public ImportProblemKind Kind { get; set; }

    /// <summary>The row as a spreadsheet numbers it: the header is row 1, the first data row 2.</summary>
    public long Row { get; set; }

    public required string Column { get; set; }

    public required string Value { get; set; }

    public required string Reason { get; set; }
}

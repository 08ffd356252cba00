using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

public enum SyncSourceKind : byte
{
    Postgres = 1,
    MySql = 2,
}

/// <summary>TLS to the source, named as libpq names its modes (MySQL's driver takes the same five).</summary>
public enum SyncSslMode : byte
{
    Disable = 1,
    Prefer = 2,
    Require = 3,
    VerifyCa = 4,
    VerifyFull = 5,
}

/// <summary>
/// A customer database that syncs read from. The password is stored encrypted with Data Protection and never shown
/// again; the rest is shown to Admins and the Owner, who alone may see or change connections.
/// </summary>
public sealed class SyncConnection
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string Name { get; set; }

    public SyncSourceKind Kind { get; set; }

    public required string Host { get; set; }

    public int Port { get; set; }

    public required string Database { get; set; }

    public required string User { get; set; }

    public required string ProtectedPassword { get; set; }

    public SyncSslMode SslMode { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }
}

public enum SyncDataToProcess : byte
{
    All = 1,
    OnlyNew = 2,
    OnlyExisting = 3,
}

/// <summary>What a NULL or empty value of a row means: leave the attribute as it is, or remove it.</summary>
public enum SyncEmptyValues : byte
{
    Ignore = 1,
    Remove = 2,
}

/// <summary>A query run on an interval against a connection, each run an import of people with source <c>sync</c>.</summary>
public sealed class Sync
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string Name { get; set; }

    public long ConnectionId { get; set; }

    public required string Query { get; set; }

    public int IntervalMinutes { get; set; }

    public IdentifierKind Identifier { get; set; }

    public SyncDataToProcess DataToProcess { get; set; }

    public SyncEmptyValues EmptyValues { get; set; }

    /// <summary>The manual segment everyone a run applies to joins (made when missing).</summary>
    public string? SegmentName { get; set; }

    public bool Paused { get; set; }

    /// <summary>The start of the last successful run: <c>{{last_sync_time}}</c>; null before the first.</summary>
    public long? LastSyncTimeMs { get; set; }

    public long NextRunMs { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }
}

public enum SyncRunState : byte
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Skipped = 5,
}

/// <summary>One run of a sync, or the record of one skipped because the previous run was still going.</summary>
public sealed class SyncRun
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long SyncId { get; set; }

    public SyncRunState State { get; set; }

    /// <summary>Asked for with Run now, not by the schedule.</summary>
    public bool Manual { get; set; }

    public long QueuedMs { get; set; }

    public long? StartedMs { get; set; }

    public long? FinishedMs { get; set; }

    /// <summary>A running run writes this every minute; one that stops writing it lost its server.</summary>
    public long? HeartbeatMs { get; set; }

    /// <summary>Rows the query gave; the created, updated, skipped and failed ones are the import's counts, copied when the run ends.</summary>
    public long RowsRead { get; set; }

    public long RowsCreated { get; set; }

    public long RowsUpdated { get; set; }

    public long RowsSkipped { get; set; }

    public long RowsFailed { get; set; }

    /// <summary>Why the run failed or was skipped.</summary>
    public string? Error { get; set; }

    public string? Warning { get; set; }

    /// <summary>
    /// The import (source <c>sync</c>) that applies the run's rows: its counts while the run goes (the run keeps them once
    /// it ends), and its errors and warnings reports. Null for a skipped run, or one that ended before it began.
    /// </summary>
    public long? ImportId { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace PeopleAdmin.Core.Imports;

/// <summary><c>PeopleAdmin:Imports</c>.</summary>
public sealed class ImportsOptions
{
    public const string Section = "PeopleAdmin:Imports";

    public const int MaxBatchRows = 100_000;

    /// <summary>The largest file an import takes, uploaded or fetched, in bytes (1 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 1L << 30;

    /// <summary>Rows per writer transaction: the unit of progress, of a resume and of a cancel.</summary>
    [Range(1, MaxBatchRows)]
    public int BatchRows { get; set; } = 5_000;

    /// <summary>Workspaces whose imports run at once (each workspace runs one import at a time; the others wait in order).</summary>
    [Range(1, 64)]
    public int ParallelWorkspaces { get; set; } = 2;

    /// <summary>Hosts <c>POST /v1/imports</c> may fetch a <c>data_file_url</c> from (none by default); see the README.</summary>
    public List<string> AllowedUrlHosts { get; set; } = [];
}

namespace PeopleAdmin.Core.Workspaces;

/// <summary>An isolated set of people with its own settings and API credentials.</summary>
public sealed class Workspace
{
    public int Id { get; set; }

    private string _name = "";

    public required string Name
    {
        get => _name;
        set
        {
            _name = value;
            NormalizedName = NormalizeName(value);
        }
    }

    /// <summary>The name as compared for uniqueness (trimmed, upper-case invariant): "Marketing" and "marketing " are one name.</summary>
    public string NormalizedName { get; private set; } = "";

    /// <summary>The public half of the Track API's Basic credentials.</summary>
    public required string SiteId { get; set; }

    /// <summary>Keyed hash of the Track API key: a request is authenticated without decrypting anything.</summary>
    public required string TrackApiKeyHash { get; set; }

    /// <summary>The Track API key under Data Protection, decrypted only to show it to an admin.</summary>
    public required string TrackApiKeyProtected { get; set; }

    public required string AppApiKeyHash { get; set; }

    public required string AppApiKeyProtected { get; set; }

    public WorkspaceSettings Settings { get; set; } = new();

    /// <summary>The next number the workspace turns into a cio_id; only ever grows, so no cio_id is reused.</summary>
    public long NextCioNumber { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();
}

namespace PeopleAdmin.Core.Workspaces;

public enum IdentifierMode
{
    EmailOrId,
    IdOnly,
}

/// <summary>The General Workspace Settings of <c>identity-rules.md</c>.</summary>
public sealed class WorkspaceSettings
{
    public static readonly IReadOnlyList<string> DefaultBlockedIdentifierValues =
        ["null", "undefined", "anonymous", "none", "nan", "0", "-1", "[object Object]"];

    public IdentifierMode Identifiers { get; set; } = IdentifierMode.EmailOrId;

    public bool AllowEmailUpdatesById { get; set; }

    public bool ReferencePeopleByCioId { get; set; }

    public bool MultiIdentifierMerge { get; set; } = true;

    public bool AnonymousEventMerge { get; set; } = true;

    public List<string> BlockedIdentifierValues { get; set; } = [.. DefaultBlockedIdentifierValues];

    /// <summary>Requests per second for each API of this workspace; null takes the configured default.</summary>
    public int? RateLimitPerSecond { get; set; }

    /// <summary>Origins whose pages may use the public sources (hosted forms, the snippet); empty allows any (<see cref="Workspaces.AllowedOrigins"/>).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public WorkspaceSettings Clone() => new()
    {
        Identifiers = Identifiers,
        AllowEmailUpdatesById = AllowEmailUpdatesById,
        ReferencePeopleByCioId = ReferencePeopleByCioId,
        MultiIdentifierMerge = MultiIdentifierMerge,
        AnonymousEventMerge = AnonymousEventMerge,
        BlockedIdentifierValues = [.. BlockedIdentifierValues],
        RateLimitPerSecond = RateLimitPerSecond,
        AllowedOrigins = [.. AllowedOrigins],
    };
}

/// <summary>One recorded change of one setting: who, when, from, to.</summary>
public sealed class SettingsChange
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string Actor { get; set; }

    public DateTime ChangedAt { get; set; }

    public required string Setting { get; set; }

    public string? FromValue { get; set; }

    public string? ToValue { get; set; }
}

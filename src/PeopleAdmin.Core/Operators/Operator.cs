using Microsoft.AspNetCore.Identity;

namespace PeopleAdmin.Core.Operators;

/// <summary>A person who signs in to the admin console. Operators span workspaces.</summary>
public sealed class Operator : IdentityUser
{
    /// <summary>The workspace the operator last switched to, remembered across sign-ins.</summary>
    public int? SelectedWorkspaceId { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>An entry of the operators' audit trail: sign-ins, failures, setup, and later their actions.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string Action { get; set; }

    /// <summary>The operator's email, or what was typed for a failed sign-in.</summary>
    public string? Actor { get; set; }

    public int? WorkspaceId { get; set; }

    public string? Detail { get; set; }

    public string? RemoteAddress { get; set; }
}

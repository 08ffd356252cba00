using Microsoft.AspNetCore.Identity;

namespace PeopleAdmin.Core.Operators;

/// <summary>A person who signs in to the admin console. Operators span workspaces.</summary>
public sealed class Operator : IdentityUser
{
    /// <summary>The workspace the operator last switched to, remembered across sign-ins.</summary>
    public int? SelectedWorkspaceId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Set while the operator is deactivated: they cannot sign in and their tokens are refused.</summary>
    public DateTime? DeactivatedAt { get; set; }

    /// <summary>Set with a one-time password: the next sign-in leads to choosing a new one before anything else.</summary>
    public bool MustChangePassword { get; set; }
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

/// <summary>
/// An operator's personal token for the management API. Only its keyed hash is stored; the secret is shown once,
/// when the token is made. A request made with it acts with the operator's current role.
/// </summary>
public sealed class PersonalToken
{
    public int Id { get; set; }

    public required string OperatorId { get; set; }

    public required string Name { get; set; }

    /// <summary>HMAC-SHA256 of the secret with the credential hash key, lower-case hex.</summary>
    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

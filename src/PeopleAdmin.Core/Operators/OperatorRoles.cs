namespace PeopleAdmin.Core.Operators;

/// <summary>The roles an operator can hold, from most to least powerful.</summary>
public static class OperatorRoles
{
    public const string Owner = "Owner";
    public const string Admin = "Admin";
    public const string Editor = "Editor";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Editor, Viewer];

    /// <summary>The role name as spelled here, whatever the case it was typed in; null when there is no such role.</summary>
    public static string? Find(string? name) =>
        All.FirstOrDefault(role => string.Equals(role, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

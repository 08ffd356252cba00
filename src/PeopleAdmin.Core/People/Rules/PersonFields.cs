using System.Globalization;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The setters of a person's own fields, with the times that <c>_timestamp</c> compares later: every write of an
/// identifier, <c>created_at</c> or <c>unsubscribed</c> goes through one of these, from the rules and the bulk create alike.
/// </summary>
internal static class PersonFields
{
    public static void SetId(Person person, string? value, long writeMs)
    {
        person.ExternalId = value;
        person.ExternalIdChangedMs = writeMs;
    }

    /// <summary>The email as sent, its lookup form, and whether it is an identifier, as the workspace treats email as an identifier.</summary>
    public static void SetEmail(Person person, string? value, WorkspaceSettings settings, long writeMs)
    {
        person.Email = value;
        person.EmailNormalized = value is null ? null : Person.NormalizeEmail(value);
        person.EmailIsIdentifier = Person.EmailIdentifies(SeedRules.EmailIsAnIdentifier(settings), person.EmailNormalized);
        person.EmailChangedMs = writeMs;
    }

    public static void SetCreatedAt(Person person, long createdAt, long writeMs)
    {
        person.CreatedAt = createdAt;
        person.CreatedAtChangedMs = writeMs;
    }

    public static void SetUnsubscribed(Person person, bool unsubscribed, long writeMs)
    {
        person.Unsubscribed = unsubscribed;
        person.UnsubscribedChangedMs = writeMs;
    }

    /// <summary><c>created_at</c> as the activity log shows it.</summary>
    public static string Text(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}

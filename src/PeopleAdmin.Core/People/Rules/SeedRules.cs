using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The seed's decisions about identifiers, each in one method named for it (identity-rules.md, rule 3, the table of
/// who may change an identifier, and the automatic merge). The rules call these; <c>SeedRulesTests</c> holds one
/// table per method.
/// </summary>
internal static class SeedRules
{
    public const string ReasonCioIdOnly = "set identifiers change only through cio_id";
    public const string ReasonIdFixed = "in an id_only workspace a set id changes only through cio_id, with reference_people_by_cio_id on";
    public const string ReasonImportKeeps = "CSV import and database sync never change an identifier that is set";

    /// <summary>
    /// The automatic merge's four conditions: <c>multi_identifier_merge</c> is on, the request referenced its person
    /// by <c>id</c> or <c>email</c> (not <c>cio_id</c>), the person holding the request's id has no email, and the one
    /// holding its email has no id.
    /// </summary>
    public static bool AutomaticMergeApplies(WorkspaceSettings settings, ReferenceKind referencedBy, Person idPerson, Person emailPerson) =>
        settings.MultiIdentifierMerge && referencedBy != ReferenceKind.CioId && idPerson.Email is null && emailPerson.ExternalId is null;

    /// <summary>The older profile (by the system's first-seen time, never the client's <c>created_at</c>; ties by key) is the merge's primary.</summary>
    public static (Person Primary, Person Secondary) OlderProfileWins(Person a, Person b) =>
        (a.FirstSeenMs, a.Id).CompareTo((b.FirstSeenMs, b.Id)) <= 0 ? (a, b) : (b, a);

    /// <summary>
    /// Why an identifier that is set may not change (or be cleared) through this request, or null when it may: the
    /// seed's table, each line of which is one of the methods below.
    /// </summary>
    public static string? SetIdentifierChangeRefusal(string source, IdentifierKind kind, ReferenceKind referencedBy, WorkspaceSettings settings)
    {
        if (ImportsKeepSetIdentifiers(source))
        {
            return ReasonImportKeeps;
        }

        if (referencedBy == ReferenceKind.CioId)
        {
            return CioIdReferenceMayChange(kind, settings) ? null : ReasonIdFixed;
        }

        if (settings.Identifiers == IdentifierMode.IdOnly && kind == IdentifierKind.Id)
        {
            return ReasonIdFixed;
        }

        return EmailMayChangeById(kind, referencedBy, settings) ? null : ReasonCioIdOnly;
    }

    /// <summary>CSV import and database sync never change an identifier that is set; they may set a missing one.</summary>
    public static bool ImportsKeepSetIdentifiers(string source) => source is Sources.Csv or Sources.Sync;

    /// <summary>
    /// A reference by cio_id may change every identifier, except a set id in an <c>id_only</c> workspace, which only
    /// <c>reference_people_by_cio_id</c> ("cio_id or id") lets change.
    /// </summary>
    public static bool CioIdReferenceMayChange(IdentifierKind kind, WorkspaceSettings settings) =>
        kind != IdentifierKind.Id || settings.Identifiers != IdentifierMode.IdOnly || settings.ReferencePeopleByCioId;

    /// <summary>An email that is set changes through a reference by id only with <c>allow_email_updates_by_id</c> (in <c>email_or_id</c>).</summary>
    public static bool EmailMayChangeById(IdentifierKind kind, ReferenceKind referencedBy, WorkspaceSettings settings) =>
        kind == IdentifierKind.Email && referencedBy == ReferenceKind.Id && settings.Identifiers == IdentifierMode.EmailOrId && settings.AllowEmailUpdatesById;

    /// <summary>Rule 6: a value on the workspace's blocked list (compared case-insensitively, trimmed) is never an identifier.</summary>
    public static bool IsBlocked(WorkspaceSettings settings, string value) =>
        settings.BlockedIdentifierValues.Any(b => string.Equals(b, value.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// In <c>id_only</c> the email is an ordinary value of the person: not unique, never used to find anyone, and any
    /// request may set or change it; an email-shaped reference is an id.
    /// </summary>
    public static bool EmailIsAnIdentifier(WorkspaceSettings settings) => settings.Identifiers == IdentifierMode.EmailOrId;
}

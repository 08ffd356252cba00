namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// A provider's bulk create of plain new people (nobody holds their identifiers, nothing suppressed), and its bulk update
/// of people a plain update changes (<see cref="Rules.PlainUpdateRules"/>): the rows the identify rules would write,
/// without their lookups or a change tracker. A provider may hold rows back (to copy
/// them in one go) until <see cref="Flush"/>, provided that <see cref="IsIdHeld"/> and <see cref="IsEmailHeld"/> see
/// the people held back (a chunk may name one twice). An inserted person gets a key at once, which the entries and
/// attributes inserted for them name; a provider that holds rows back may give a stand-in key there and put the real
/// one into the person and those rows at the flush.
/// </summary>
internal interface IBulkCreate
{
    bool IsIdHeld(int workspaceId, string id);

    bool IsEmailHeld(int workspaceId, string emailKey);

    /// <summary>Whether anybody holds the id or the email (either may be null): a provider may ask both in one query.</summary>
    bool IsAnyHeld(int workspaceId, string? id, string? emailKey) =>
        (id is not null && IsIdHeld(workspaceId, id)) || (emailKey is not null && IsEmailHeld(workspaceId, emailKey));

    /// <summary>
    /// Says which ids and emails a chunk is about to ask for: a provider may read at once whether each is held (and the people
    /// who hold them, with their attributes), and answer <see cref="IsAnyHeld"/> and <see cref="FindForUpdate"/> from that
    /// until the next <see cref="Flush"/> (before which only this bulk create writes people).
    /// </summary>
    void Probe(int workspaceId, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> emailKeys)
    {
    }

    bool AnySuppressions(int workspaceId);

    bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey);

    /// <summary>Inserts the person and sets their new key (or its stand-in until the flush).</summary>
    void InsertPerson(Person person);

    void InsertActivity(Activity activity);

    void InsertAttribute(PersonAttribute attribute);

    /// <summary>
    /// The person who holds this id (or email key), with their attributes, for a plain update: as the plain updates since
    /// the last <see cref="Flush"/> left them (changing the objects answered is how an update is made; <see cref="UpdatePerson"/>,
    /// <see cref="SetAttribute"/> and <see cref="RemoveAttribute"/> say what to write). Null when nobody holds it, or when the
    /// person was created since the last flush (their rows may be held back).
    /// </summary>
    PersonForUpdate? FindForUpdate(int workspaceId, IdentifierKind kind, string valueKey);

    /// <summary>Writes the person's columns that a plain update changes: created_at, unsubscribed, their times, the updated time.</summary>
    void UpdatePerson(Person person);

    /// <summary>Inserts the attribute, or updates it where the person has one of its name.</summary>
    void SetAttribute(PersonAttribute attribute);

    void RemoveAttribute(PersonAttribute attribute);

    /// <summary>Writes whatever is held back; before anything else reads or writes the same rows.</summary>
    void Flush();

    /// <summary>Drops what is held back, after the operation that made it was rolled back.</summary>
    void Discard();
}

/// <summary>A person read for a plain update, with their attributes by name.</summary>
internal sealed record PersonForUpdate(Person Person, Dictionary<string, PersonAttribute> Attributes);

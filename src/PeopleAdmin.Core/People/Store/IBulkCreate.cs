namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// A provider's bulk create of plain new people (nobody holds their identifiers, nothing suppressed): the rows the
/// identify rules would write, without their lookups or a change tracker. A provider may hold rows back (to copy
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
    /// Says which ids and emails a chunk is about to ask for: a provider may read at once whether each is held, and answer
    /// <see cref="IsAnyHeld"/> from that until the next <see cref="Flush"/> (before which only this bulk create writes people).
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

    /// <summary>Writes whatever is held back; before anything else reads or writes the same rows.</summary>
    void Flush();

    /// <summary>Drops what is held back, after the operation that made it was rolled back.</summary>
    void Discard();
}

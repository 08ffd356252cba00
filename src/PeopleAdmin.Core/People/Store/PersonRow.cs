namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// The one definition of a person's row that hand-written SQL uses: the <c>People</c> table's columns, in the order
/// every provider's statements select, insert and bind them, and the copy the everyday path keeps of a row as read.
/// <c>PersonRowTests</c> compares the columns with the EF Core model and writes a person with every column set
/// through each statement, so a column added to <see cref="Person"/> and forgotten here or in a statement fails it.
/// </summary>
internal static class PersonRow
{
    /// <summary>The columns an insert or update may write, each with its value, in binding order.</summary>
    public static readonly (string Column, Func<Person, object?> Value)[] Writable =
    [
        (nameof(Person.WorkspaceId), p => p.WorkspaceId),
        (nameof(Person.CioId), p => p.CioId),
        (nameof(Person.ExternalId), p => p.ExternalId),
        (nameof(Person.Email), p => p.Email),
        (nameof(Person.EmailNormalized), p => p.EmailNormalized),
        (nameof(Person.EmailIsIdentifier), p => p.EmailIsIdentifier),
        (nameof(Person.FirstSeenMs), p => p.FirstSeenMs),
        (nameof(Person.CreatedAt), p => p.CreatedAt),
        (nameof(Person.UpdatedMs), p => p.UpdatedMs),
        (nameof(Person.ExternalIdChangedMs), p => p.ExternalIdChangedMs),
        (nameof(Person.EmailChangedMs), p => p.EmailChangedMs),
        (nameof(Person.Unsubscribed), p => p.Unsubscribed),
        (nameof(Person.LastImportId), p => p.LastImportId),
        (nameof(Person.CreatedAtChangedMs), p => p.CreatedAtChangedMs),
        (nameof(Person.UnsubscribedChangedMs), p => p.UnsubscribedChangedMs),
    ];

    /// <summary>The key, then <see cref="Writable"/>: what a read selects, in this order.</summary>
    public static readonly IReadOnlyList<string> Columns = [nameof(Person.Id), .. Writable.Select(c => c.Column)];

    /// <summary>The columns that a read selects, comma-separated.</summary>
    public static readonly string SelectList = string.Join(", ", Columns);

    /// <summary>The columns that an insert writes (all but the key), comma-separated.</summary>
    public static readonly string InsertList = string.Join(", ", Writable.Select(c => c.Column));

    public static Person Copy(Person person) => new()
    {
        Id = person.Id,
        WorkspaceId = person.WorkspaceId,
        CioId = person.CioId,
        ExternalId = person.ExternalId,
        Email = person.Email,
        EmailNormalized = person.EmailNormalized,
        EmailIsIdentifier = person.EmailIsIdentifier,
        FirstSeenMs = person.FirstSeenMs,
        CreatedAt = person.CreatedAt,
        UpdatedMs = person.UpdatedMs,
        ExternalIdChangedMs = person.ExternalIdChangedMs,
        EmailChangedMs = person.EmailChangedMs,
        Unsubscribed = person.Unsubscribed,
        LastImportId = person.LastImportId,
        CreatedAtChangedMs = person.CreatedAtChangedMs,
        UnsubscribedChangedMs = person.UnsubscribedChangedMs,
    };
}

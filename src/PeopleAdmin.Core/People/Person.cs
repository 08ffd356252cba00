namespace PeopleAdmin.Core.People;

/// <summary>
/// A live person of a workspace. Times ending in <c>Ms</c> are unix milliseconds on the server's clock;
/// <see cref="CreatedAt"/> is unix seconds, as Customer.io's <c>created_at</c>.
/// </summary>
public sealed class Person
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    /// <summary>The system's own identifier: lower-case, unique in the workspace, never changed or reused.</summary>
    public required string CioId { get; set; }

    /// <summary>The client's <c>id</c>: case-sensitive, compared byte for byte.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The email as it was sent.</summary>
    public string? Email { get; set; }

    /// <summary>Trimmed and lower-cased: what lookups match on.</summary>
    public string? EmailNormalized { get; set; }

    /// <summary>
    /// True while the workspace treats email as an identifier and the person has one, else null (in <c>id_only</c>). The
    /// unique index on (workspace, <see cref="EmailNormalized"/>, this) then holds one person per email exactly when the
    /// mode asks for it, since SQL's nulls never equal each other: in <c>id_only</c> anyone may share an email. The same
    /// index answers every lookup and search by email, so that a new person costs one email index entry, not two.
    /// </summary>
    public bool? EmailIsIdentifier { get; set; }

    /// <summary>The email as an identifier (<see cref="EmailNormalized"/> while <see cref="EmailIsIdentifier"/>), else null; not stored.</summary>
    public string? IdentifyingEmail => EmailIsIdentifier == true ? EmailNormalized : null;

    /// <summary>When this system first created the person ("first seen"); no client can set it.</summary>
    public long FirstSeenMs { get; set; }

    /// <summary>The client's <c>created_at</c> when one was sent, else the creation time here (unix seconds).</summary>
    public long CreatedAt { get; set; }

    public long UpdatedMs { get; set; }

    /// <summary>When <see cref="ExternalId"/> last changed, by the writing request's <c>_timestamp</c> or else the server's clock.</summary>
    public long? ExternalIdChangedMs { get; set; }

    public long? EmailChangedMs { get; set; }

    public bool Unsubscribed { get; set; }

    /// <summary>When a client last changed <see cref="CreatedAt"/>, by its <c>_timestamp</c> or else the server's clock; null while it never did.</summary>
    public long? CreatedAtChangedMs { get; set; }

    /// <summary>When a client last changed <see cref="Unsubscribed"/>, by its <c>_timestamp</c> or else the server's clock; null while it never did.</summary>
    public long? UnsubscribedChangedMs { get; set; }

    /// <summary>The CSV import that last touched this person.</summary>
    public long? LastImportId { get; set; }

    /// <summary>The <see cref="EmailIsIdentifier"/> of a person with <paramref name="emailNormalized"/>, by whether the workspace treats email as an identifier.</summary>
    public static bool? EmailIdentifies(bool emailIsAnIdentifier, string? emailNormalized) =>
        emailIsAnIdentifier && emailNormalized is not null ? true : null;

    /// <summary>A person first seen now, with the workspace's next cio_id (which this takes from its counter).</summary>
    public static Person New(Workspaces.Workspace workspace, long nowMs) => new()
    {
        WorkspaceId = workspace.Id,
        CioId = FormatCioId(workspace.NextCioNumber++),
        FirstSeenMs = nowMs,
        CreatedAt = nowMs / 1000,
        UpdatedMs = nowMs,
    };

    /// <summary>An email as lookups and uniqueness compare it: trimmed and lower-cased.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>cio_ids are the workspace's counter in base 36: short, lower-case, and never reused because the counter only grows.</summary>
    public static string FormatCioId(long number)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = digits[(int)(number % 36)];
            number /= 36;
        }
        while (number > 0);
        return new string(buffer[i..]);
    }
}

public enum AttributeType : byte
{
    String = 1,
    Number = 2,
    Boolean = 3,

    /// <summary>A JSON array or object, kept as its compact JSON text (identity rule 4).</summary>
    Json = 4,
}

/// <summary>
/// One custom attribute of one person (entity-attribute-value). Every value keeps its text form for
/// equals and contains, numbers also a numeric form for greater and less; both are indexed by name.
/// </summary>
public sealed class PersonAttribute
{
    public long PersonId { get; set; }

    public int WorkspaceId { get; set; }

    public required string Name { get; set; }

    public AttributeType Type { get; set; }

    public required string TextValue { get; set; }

    public double? NumberValue { get; set; }

    /// <summary>When the value was last set, on the server's clock.</summary>
    public long SetMs { get; set; }

    /// <summary>The writing request's <c>_timestamp</c> (unix seconds), when it sent one.</summary>
    public long? Timestamp { get; set; }

    /// <summary>The same attribute (name, value, times) on the given person.</summary>
    public PersonAttribute CopyFor(long personId) => new()
    {
        PersonId = personId,
        WorkspaceId = WorkspaceId,
        Name = Name,
        Type = Type,
        TextValue = TextValue,
        NumberValue = NumberValue,
        SetMs = SetMs,
        Timestamp = Timestamp,
    };
}

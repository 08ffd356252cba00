using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People;

public enum ReferenceKind : byte
{
    CioId,
    Id,
    Email,
}

/// <summary>How a request names the person it is about: a path identifier, a CSV row's identifier, a profile's cio_id.</summary>
public readonly record struct PersonReference(ReferenceKind Kind, string Value)
{
    public const string CioPrefix = "cio_";

    public static PersonReference ForCioId(string cioId) => new(ReferenceKind.CioId, cioId);

    /// <summary>The identifier a reference by id or email names (a cio_id reference names none: callers handle it first).</summary>
    public static IdentifierKind KindOf(ReferenceKind kind) => kind == ReferenceKind.Email ? IdentifierKind.Email : IdentifierKind.Id;

    /// <summary>A cio_id as stored: without the <c>cio_</c> prefix that paths and bodies may carry.</summary>
    public static string StripCioPrefix(string value) =>
        value.StartsWith(CioPrefix, StringComparison.Ordinal) ? value[CioPrefix.Length..] : value;

    public static PersonReference ForId(string id) => new(ReferenceKind.Id, id);

    public static PersonReference ForEmail(string email) => new(ReferenceKind.Email, email);

    /// <summary>
    /// Classifies a (decoded) path identifier: <c>cio_x</c> is a cio_id; otherwise in <c>email_or_id</c> a value with
    /// <c>@</c> is an email and anything else an id; in <c>id_only</c> everything else is an id.
    /// </summary>
    public static PersonReference Classify(string identifier, IdentifierMode mode)
    {
        if (identifier.StartsWith(CioPrefix, StringComparison.Ordinal))
        {
            return ForCioId(identifier[CioPrefix.Length..]);
        }

        return mode == IdentifierMode.EmailOrId && identifier.Contains('@', StringComparison.Ordinal)
            ? ForEmail(identifier)
            : ForId(identifier);
    }

    public override string ToString() => Kind switch
    {
        ReferenceKind.CioId => CioPrefix + Value,
        _ => Value,
    };
}

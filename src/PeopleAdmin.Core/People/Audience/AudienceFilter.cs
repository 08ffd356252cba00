using System.Globalization;

namespace PeopleAdmin.Core.People.Audience;

public enum AttributeOperator
{
    Equals,
    NotEquals,
    Contains,
    Exists,
    NotExists,
    Greater,
    Less,
    Before,
    After,

    /// <summary>A date on one of the calendar days from today through today plus the value (a number of days), in the condition's time zone.</summary>
    WithinNext,

    /// <summary>A date on one of the calendar days from today minus the value (a number of days) through today, in the condition's time zone.</summary>
    WithinLast,
}

/// <summary>
/// Who an audience is, as Customer.io's audience filter states it: conditions on attributes and segment membership,
/// grouped with all-of, any-of and not. Provider-neutral; each store turns it into its own query.
/// </summary>
public abstract record AudienceFilter
{
    /// <summary>Everyone: an all-of group without conditions.</summary>
    public static AudienceFilter Everyone { get; } = new AllOf([]);
}

public sealed record AllOf(IReadOnlyList<AudienceFilter> Filters) : AudienceFilter;

public sealed record AnyOf(IReadOnlyList<AudienceFilter> Filters) : AudienceFilter;

public sealed record Not(AudienceFilter Filter) : AudienceFilter;

/// <summary>Members of a segment of the workspace; a segment that does not exist there has no members.</summary>
public sealed record InSegment(int SegmentId) : AudienceFilter;

/// <summary>
/// One condition on one attribute. <c>id</c>, <c>email</c>, <c>cio_id</c>, <c>created_at</c> and <c>unsubscribed</c>
/// name the person's own fields; any other name a custom attribute (of whatever type its value has). The meaning of
/// each operator is the HTTP contract's (see <see cref="FilterValues"/> for how values compare). <see cref="TimeZone"/>
/// (an IANA name, UTC when null) says where the days of <see cref="AttributeOperator.WithinNext"/> and
/// <see cref="AttributeOperator.WithinLast"/> begin; other operators ignore it.
/// </summary>
public sealed record AttributeFilter(string Name, AttributeOperator Operator, string? Value = null, string? TimeZone = null) : AudienceFilter
{
    public bool NeedsValue => Operator is not (AttributeOperator.Exists or AttributeOperator.NotExists);

    public bool IsRelativeDate => Operator is AttributeOperator.WithinNext or AttributeOperator.WithinLast;
}

/// <summary>
/// People related to an object of the type <see cref="ObjectTypeId"/> (Customer.io's <c>object_type_id</c>) whose
/// attributes match <see cref="Object"/>, through a relationship whose own attributes match <see cref="Relationship"/>.
/// Both are trees of all-of, any-of, not and attribute conditions, whose names are the object's (or the
/// relationship's) attribute names: <c>id</c> or <c>email</c> there is an attribute like any other.
/// </summary>
public sealed record RelatedObject(int ObjectTypeId, AudienceFilter Object, AudienceFilter Relationship) : AudienceFilter;

/// <summary>How filter values are read: numbers by their invariant text, dates as unix seconds or ISO-8601 text.</summary>
public static class FilterValues
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryNumber(string? text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>An ISO-8601 date or date-time (UTC unless it names an offset), as unix seconds.</summary>
    public static bool TryIsoDate(string? text, out double unixSeconds)
    {
        unixSeconds = 0;
        if (text is null || !DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return false;
        }

        // Whole seconds, as SQLite's unixepoch() reads the same text.
        unixSeconds = Math.Floor((date - DateTimeOffset.UnixEpoch).TotalSeconds);
        return true;
    }

    /// <summary>A date as a filter value states it: unix seconds (Customer.io's timestamps) or ISO-8601.</summary>
    public static bool TryDate(string? text, out double unixSeconds) => TryNumber(text, out unixSeconds) || TryIsoDate(text, out unixSeconds);
}

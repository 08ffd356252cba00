namespace PeopleAdmin.Core.People.Audience;

/// <summary>
/// A relative-date condition made absolute for one moment: the attribute's date falls on a calendar day from
/// <see cref="FirstDay"/> through <see cref="LastDay"/> in the condition's time zone. A moment (unix seconds, or
/// ISO-8601 text with a time) counts when it lies in [<see cref="From"/>, <see cref="To"/>), the start of the first day
/// and of the day after the last there; a bare date (<c>2026-12-20</c>) is already a calendar day and counts when it
/// lies in [<see cref="DayFrom"/>, <see cref="DayTo"/>), the same days' UTC midnights, which is how the store reads it.
/// </summary>
public sealed record DateWindow(string Name, DateOnly FirstDay, DateOnly LastDay, long From, long To, long DayFrom, long DayTo) : AudienceFilter;

/// <summary>How "within the next (or last) N days" reads at a moment: calendar days in the condition's time zone.</summary>
public static class RelativeDates
{
    /// <summary>The longest window a condition may ask for, about a hundred years.</summary>
    public const int MaxDays = 36_500;

    /// <summary>
    /// The filter with every relative-date condition replaced by its <see cref="DateWindow"/> at <paramref name="now"/>:
    /// the stores compare absolute bounds only, and every statement of one request uses the same days.
    /// </summary>
    public static AudienceFilter Resolve(AudienceFilter filter, DateTimeOffset now) => filter switch
    {
        AllOf all => new AllOf([.. all.Filters.Select(f => Resolve(f, now))]),
        AnyOf any => new AnyOf([.. any.Filters.Select(f => Resolve(f, now))]),
        Not not => new Not(Resolve(not.Filter, now)),
        RelatedObject related => related with { Object = Resolve(related.Object, now), Relationship = Resolve(related.Relationship, now) },
        AttributeFilter { IsRelativeDate: true } attribute => Window(attribute, now),
        _ => filter,
    };

    /// <summary>Whether a filter holds a relative-date condition that <see cref="Resolve"/> has not made absolute.</summary>
    public static bool HasRelative(AudienceFilter filter) => filter switch
    {
        AllOf all => all.Filters.Any(HasRelative),
        AnyOf any => any.Filters.Any(HasRelative),
        Not not => HasRelative(not.Filter),
        RelatedObject related => HasRelative(related.Object) || HasRelative(related.Relationship),
        AttributeFilter attribute => attribute.IsRelativeDate,
        _ => false,
    };

    public static DateWindow Window(AttributeFilter filter, DateTimeOffset now)
    {
        if (!TryDays(filter.Value, out var days) || !TryTimeZone(filter.TimeZone, out var zone))
        {
            throw new ArgumentException(AudienceFilterRules.Problem(filter) ?? "not a relative-date condition", nameof(filter));
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var (first, last) = filter.Operator == AttributeOperator.WithinNext ? (today, today.AddDays(days)) : (today.AddDays(-days), today);
        var after = last.AddDays(1);
        return new DateWindow(filter.Name, first, last, StartOfDay(first, zone), StartOfDay(after, zone), UtcMidnight(first), UtcMidnight(after));
    }

    public static bool TryDays(string? value, out int days) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days) && days <= MaxDays;

    /// <summary>An IANA time zone name (UTC when empty).</summary>
    public static bool TryTimeZone(string? name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        return string.IsNullOrWhiteSpace(name) || TimeZoneInfo.TryFindSystemTimeZoneById(name.Trim(), out zone!);
    }

    /// <summary>
    /// The first moment of a calendar day in a zone, as unix seconds. Where a clock change skips midnight the day starts
    /// when the clock resumes; where midnight happens twice, at the first of them.
    /// </summary>
    private static long StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeSeconds();
    }

    private static long UtcMidnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
}

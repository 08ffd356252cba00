using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PeopleAdmin.Core.Data;

/// <summary>
/// What makes the PostgreSQL model behave as the SQLite one does. Text compares byte by byte in both: SQLite's
/// <c>BINARY</c> collation is PostgreSQL's <c>"C"</c>, set on every column so that the database's own locale never
/// matters. So an exact email lookup reads the lower-cased <see cref="People.Person.EmailNormalized"/> column in both,
/// a prefix search is one range of the same btree index in both, and <c>ILIKE</c> under <c>"C"</c> folds ASCII only,
/// as SQLite's <c>LIKE</c> does.
/// </summary>
internal static class PostgresConventions
{
    public const string ByteOrder = "C";

    public static void Apply(ModelConfigurationBuilder configuration)
    {
        // The app keeps every DateTime in UTC, yet SQLite hands them back without a kind, and timestamptz refuses a
        // value that does not say it is UTC.
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    /// <summary>Every column stored as text, enums kept as their names included.</summary>
    public static void CompareTextByteByByte(ModelBuilder builder)
    {
        foreach (var property in builder.Model.GetEntityTypes().SelectMany(entity => entity.GetDeclaredProperties()))
        {
            if ((property.GetValueConverter()?.ProviderClrType ?? property.GetProviderClrType() ?? property.ClrType) == typeof(string))
            {
                property.SetCollation(ByteOrder);
            }
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

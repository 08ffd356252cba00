using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// Binary <c>COPY</c> of whole rows of one table, its columns, their order and their types read from the EF Core model,
/// so that the statement and the model cannot drift apart. Values go through the column's converter as EF Core's own
/// writes do (an enum as its number). Without <c>withKey</c> the table's generated key is left to the database.
/// </summary>
internal sealed class PostgresCopy<T>
    where T : class
{
    private readonly (Func<T, object?> Value, string DataType)[] _columns;
    private readonly string _insert;

    public PostgresCopy(IModel model, bool withKey)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => withKey || !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd)).ToArray();
        _columns = [.. properties.Select(property => (Getter(property), property.GetColumnType(table)))];
        var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""));
        Statement = $"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)";
        _insert = $"INSERT INTO \"{table.Name}\" ({columns}) VALUES ({string.Join(", ", properties.Select((_, i) => "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
    }

    public string Statement { get; }

    /// <summary>Writes the rows in one <c>COPY</c> on the connection's current transaction; answers how many.</summary>
    public ulong Write(NpgsqlConnection connection, IReadOnlyList<T> rows)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        using var import = connection.BeginBinaryImport(Statement);
        foreach (var row in rows)
        {
            import.StartRow();
            foreach (var (value, dataType) in _columns)
            {
                if (value(row) is { } present)
                {
                    import.Write(present, dataType);
                }
                else
                {
                    import.WriteNull();
                }
            }
        }

        return import.Complete();
    }

    /// <summary>
    /// The rows as one insert each, added to <paramref name="batch"/>: a few rows go in the batch's single round trip,
    /// where a <c>COPY</c> per table would cost several.
    /// </summary>
    public void AddInserts(NpgsqlBatch batch, IReadOnlyList<T> rows)
    {
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(_insert);
            foreach (var (value, dataType) in _columns)
            {
                command.Parameters.Add(new NpgsqlParameter { DataTypeName = dataType, Value = value(row) ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }
    }

    private static Func<T, object?> Getter(IProperty property)
    {
        var getter = property.GetGetter();
        var converter = property.GetTypeMapping().Converter;
        return converter is null
            ? row => getter.GetClrValueUsingContainingEntity(row)
            : row => getter.GetClrValueUsingContainingEntity(row) is { } value ? converter.ConvertToProvider(value) : null;
    }
}

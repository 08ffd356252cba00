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
    private readonly string[] _names;
    private readonly string _table;
    private readonly Dictionary<(string? Column, string? Expression, string? Tail), string> _inserts = [];

    /// <summary>With <paramref name="into"/>, the rows go to that table (a temporary one of the same columns) instead of the entity's.</summary>
    public PostgresCopy(IModel model, bool withKey, string? into = null)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => withKey || !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd)).ToArray();
        _columns = [.. properties.Select(property => (Getter(property), property.GetColumnType(table)))];
        _names = [.. properties.Select(p => p.GetColumnName(table)!)];
        _table = into ?? table.Name;
        Statement = $"COPY \"{_table}\" ({string.Join(", ", _names.Select(n => $"\"{n}\""))}) FROM STDIN (FORMAT BINARY)";
    }

    public string Statement { get; }

    /// <summary>The table's columns that a row fills, in the model's order.</summary>
    public IReadOnlyList<string> Columns => _names;

    /// <summary>The store type of a column (<c>bigint</c>, <c>text</c>…), for a parameter that may be null.</summary>
    public string DataType(string column) => _columns[Array.IndexOf(_names, column)].DataType;

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
    /// The row as one insert, for a batch (a few rows go in the batch's single round trip, where a <c>COPY</c> per table
    /// would cost several). A column of <paramref name="computed"/> takes its value from that SQL expression instead of
    /// the row, and <paramref name="tail"/> ends the statement (<c>RETURNING</c>, <c>ON CONFLICT</c>).
    /// </summary>
    public NpgsqlBatchCommand Insert(T row, (string Column, string Expression)? computed = null, string? tail = null)
    {
        var command = new NpgsqlBatchCommand(Sql(computed?.Column, computed?.Expression, tail));
        for (var i = 0; i < _columns.Length; i++)
        {
            if (_names[i] != computed?.Column)
            {
                var (value, dataType) = _columns[i];
                command.Parameters.Add(new NpgsqlParameter { DataTypeName = dataType, Value = value(row) ?? DBNull.Value });
            }
        }

        return command;
    }

    private string Sql(string? column, string? expression, string? tail)
    {
        if (!_inserts.TryGetValue((column, expression, tail), out var sql))
        {
            var values = new List<string>();
            foreach (var name in _names)
            {
                values.Add(name == column ? expression! : "$" + (values.Count(v => v.StartsWith('$')) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            sql = $"INSERT INTO \"{_table}\" ({string.Join(", ", _names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", values)})"
                + (tail is null ? "" : " " + tail);
            _inserts[(column, expression, tail)] = sql;
        }

        return sql;
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

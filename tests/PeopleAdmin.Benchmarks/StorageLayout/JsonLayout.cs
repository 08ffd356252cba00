using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Benchmarks.StorageLayout;

/// <summary>
/// The other layout that #21 asks to measure: a person's custom attributes as one JSON document in an <c>Attributes</c>
/// column of People (SQLite's binary JSONB), with expression indexes only on the attributes that filters seek, instead
/// of one PersonAttributes row per attribute with its indexes. The expressions here are the one definition of how a
/// document's value reads as text, as a number and as present: the indexes and <see cref="JsonAudienceSql"/> both take
/// them from here, because SQLite uses an index on an expression only where a query repeats it exactly.
/// </summary>
internal static class JsonLayout
{
    /// <summary>The attributes the People page's filters seek by value in the measurement: text (equals) and number (ranges).</summary>
    public static readonly IReadOnlyList<string> TextIndexed = ["plan", "country"];

    public static readonly IReadOnlyList<string> NumberIndexed = ["age", "lifetime_value"];

    /// <summary>Adds the column and the expression indexes to a migrated database (whose PersonAttributes then stays empty).</summary>
    public static void Apply(SqliteConnection connection)
    {
        var statements = new StringBuilder("ALTER TABLE People ADD COLUMN Attributes BLOB;");
        foreach (var name in TextIndexed)
        {
            statements.Append($" CREATE INDEX \"IX_People_Json_Text_{name}\" ON People (WorkspaceId, {Text("Attributes", name)});");
        }

        foreach (var name in NumberIndexed)
        {
            statements.Append($" CREATE INDEX \"IX_People_Json_Number_{name}\" ON People (WorkspaceId, {Number("Attributes", name)});");
        }

        using var command = connection.CreateCommand();
        command.CommandText = statements.ToString();
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The value's text form, as PersonAttributes.TextValue holds it: a string itself, anything else its JSON text
    /// (<c>-&gt;</c> keeps a number's text as it was sent, <c>12.30</c> stays <c>12.30</c>; booleans read true and false).
    /// </summary>
    public static string Text(string column, string name)
    {
        var path = Path(name);
        return $"(CASE json_type({column}, {path}) WHEN 'text' THEN {column} ->> {path} ELSE {column} -> {path} END)";
    }

    /// <summary>The value as a number where it was sent as one (PersonAttributes.NumberValue), else null.</summary>
    public static string Number(string column, string name)
    {
        var path = Path(name);
        return $"(CASE WHEN json_type({column}, {path}) IN ('integer', 'real') THEN {column} ->> {path} END)";
    }

    public static string Present(string column, string name) => $"json_type({column}, {Path(name)}) IS NOT NULL";

    /// <summary>
    /// The JSON path of a top-level name as an SQL literal. It is written into the statement rather than bound: an index
    /// on an expression serves only the same expression, literal for literal.
    /// </summary>
    public static string Path(string name)
    {
        if (name.AsSpan().IndexOfAny('"', '\\') >= 0 || name.Any(char.IsControl))
        {
            throw new ArgumentException($"The attribute name \"{name}\" holds a double quote, a backslash or a control character, which a quoted label of an SQLite JSON path cannot hold.", nameof(name));
        }

        return "'$.\"" + name.Replace("'", "''", StringComparison.Ordinal) + "\"'";
    }

    /// <summary>A person's attributes as the document's JSON text: strings as strings, numbers with the text they were sent as, arrays and objects as themselves.</summary>
    public static string Document(IEnumerable<KeyValuePair<string, AttributeValue>> attributes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in attributes)
            {
                if (value.IsRemoval)
                {
                    continue;
                }

                writer.WritePropertyName(name);
                switch (value.Type)
                {
                    case AttributeType.Number or AttributeType.Json:
                        writer.WriteRawValue(value.Text!);
                        break;
                    case AttributeType.Boolean:
                        writer.WriteBooleanValue(value.Text == "true");
                        break;
                    default:
                        writer.WriteStringValue(value.Text);
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

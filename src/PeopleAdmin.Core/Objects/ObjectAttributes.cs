using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Objects;

/// <summary>Customer.io's limits on objects and relationships.</summary>
public static class ObjectLimits
{
    public const int ObjectIdBytes = 150;
    public const int TypeNameBytes = 150;
    public const int Attributes = 300;
    public const int AttributesBytes = 100_000;
}

/// <summary>
/// The attributes of an object or a relationship: a JSON object keeping each value's JSON type. A change merges into
/// it (<c>null</c> or <c>""</c> removes a name) and is refused whole when the result breaks a limit.
/// </summary>
public static class ObjectAttributes
{
    public const string Empty = "{}";

    /// <summary>Checks the names and values of a change (rule 5's limits); null when they are all right.</summary>
    public static RequestError? Validate(IReadOnlyDictionary<string, AttributeValue> changes, string prefix)
    {
        foreach (var (name, value) in changes)
        {
            if (OperationValidator.AttributeError(name, value, prefix) is { } error)
            {
                return error;
            }
        }

        var set = changes.Count(c => !c.Value.IsRemoval);
        return set > ObjectLimits.Attributes
            ? OperationValidator.Invalid(prefix.TrimEnd('.'), $"the request sets {set} attributes; the limit is {ObjectLimits.Attributes}")
            : null;
    }

    /// <summary>
    /// Merges <paramref name="changes"/> into <paramref name="current"/>; answers the new JSON (equal to the old when
    /// nothing changed), or what limit the result would break.
    /// </summary>
    public static RequestError? Merge(string current, IReadOnlyDictionary<string, AttributeValue> changes, string field, out string merged)
    {
        var attributes = Parse(current);
        foreach (var (name, value) in changes)
        {
            if (value.IsRemoval)
            {
                attributes.Remove(name);
            }
            else
            {
                attributes[name] = ToNode(value);
            }
        }

        merged = attributes.ToJsonString(JsonOptions);
        if (attributes.Count > ObjectLimits.Attributes)
        {
            return OperationValidator.Invalid(field, $"would hold {attributes.Count} attributes; the limit is {ObjectLimits.Attributes}");
        }

        var bytes = OperationValidator.Bytes(merged);
        return bytes > ObjectLimits.AttributesBytes
            ? OperationValidator.Invalid(field, $"would hold {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes of attributes; the limit is {ObjectLimits.AttributesBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes")
            : null;
    }

    /// <summary>The stored attributes as values, by name (ordinal order).</summary>
    public static IReadOnlyList<KeyValuePair<string, AttributeValue>> Read(string json)
    {
        using var document = JsonDocument.Parse(TextRules.Repair(json));
        var values = new List<KeyValuePair<string, AttributeValue>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (AttributeValue.TryFromJson(property.Value, out var value) && !value.IsRemoval)
            {
                values.Add(new(property.Name, value));
            }
        }

        values.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return values;
    }

    /// <summary>Attributes with every value as text, as the App API answers them.</summary>
    public static Dictionary<string, string> AsText(IReadOnlyList<KeyValuePair<string, AttributeValue>> attributes) =>
        attributes.ToDictionary(pair => pair.Key, pair => pair.Value.Text!, StringComparer.Ordinal);

    internal static JsonObject Parse(string json) => JsonNode.Parse(json) as JsonObject ?? [];

    internal static string Write(JsonObject attributes) => attributes.ToJsonString(JsonOptions);

    private static JsonNode? ToNode(AttributeValue value) => value.Type switch
    {
        AttributeType.String => JsonValue.Create(value.Text),
        AttributeType.Boolean => JsonValue.Create(value.Text == "true"),
        _ => JsonNode.Parse(value.Text!),
    };

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

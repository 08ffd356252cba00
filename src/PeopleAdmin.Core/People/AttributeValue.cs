using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PeopleAdmin.Core.People;

/// <summary>
/// A value sent for an attribute: a string, a number, a boolean, a JSON array or object, or a removal (<c>null</c> or
/// <c>""</c>). Numbers keep the text they were sent as, so that reads answer what was written; arrays and objects
/// keep their compact JSON text, which the value limit measures and the App API answers.
/// </summary>
public readonly record struct AttributeValue
{
    private AttributeValue(AttributeType? type, string? text, double? number)
    {
        Type = type;
        Text = text;
        Number = number;
    }

    /// <summary>Null for a removal.</summary>
    public AttributeType? Type { get; }

    /// <summary>The text form: what equals and contains compare, and what the App API answers.</summary>
    public string? Text { get; }

    public double? Number { get; }

    public bool IsRemoval => Type is null;

    public static AttributeValue Remove { get; }

    public static AttributeValue FromString(string? value) =>
        string.IsNullOrEmpty(value) ? Remove : new(AttributeType.String, value, null);

    public static AttributeValue FromNumber(double value) =>
        new(AttributeType.Number, value.ToString("R", CultureInfo.InvariantCulture), value);

    public static AttributeValue FromBoolean(bool value) => new(AttributeType.Boolean, value ? "true" : "false", null);

    /// <summary>An array or object, written compactly; non-ASCII text stays as it is, so the limit counts what a client sent.</summary>
    public static AttributeValue FromJson(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
        {
            throw new ArgumentException($"A JSON attribute value is an array or an object, not {element.ValueKind}.", nameof(element));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return new(AttributeType.Json, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }

    /// <summary>Reads any JSON value (an undefined element is not one).</summary>
    public static bool TryFromJson(JsonElement element, out AttributeValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                value = Remove;
                return true;
            case JsonValueKind.String:
                value = FromString(element.GetString());
                return true;
            case JsonValueKind.True:
            case JsonValueKind.False:
                value = FromBoolean(element.GetBoolean());
                return true;
            case JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number):
                value = new(AttributeType.Number, element.GetRawText(), number);
                return true;
            case JsonValueKind.Array:
            case JsonValueKind.Object:
                value = FromJson(element);
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>Reads a stored value back.</summary>
    public static AttributeValue FromStored(AttributeType type, string text, double? number) => new(type, text, number);

    public override string ToString() => Text ?? "";
}

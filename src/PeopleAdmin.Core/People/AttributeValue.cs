using System.Globalization;
using System.Text.Json;

namespace PeopleAdmin.Core.People;

/// <summary>
/// A value sent for an attribute: a string, a number or a boolean, or a removal (<c>null</c> or <c>""</c>).
/// Numbers keep the text they were sent as, so that reads answer what was written.
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

    /// <summary>Reads a JSON value; objects and arrays are not attribute values.</summary>
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
            default:
                value = default;
                return false;
        }
    }

    /// <summary>Reads a stored value back.</summary>
    public static AttributeValue FromStored(AttributeType type, string text, double? number) => new(type, text, number);

    public override string ToString() => Text ?? "";
}

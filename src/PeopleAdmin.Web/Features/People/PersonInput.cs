using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Features.People;

/// <summary>One attribute as the editor holds it: name, type and the typed text.</summary>
public sealed class AttributeRow
{
    public string Name { get; set; } = "";

    public AttributeType Type { get; set; } = AttributeType.String;

    public string Value { get; set; } = "";
}

/// <summary>The checks the People page makes as the operator types, the same limits the identity service enforces.</summary>
public static partial class PersonInput
{
    public const string IdKey = "id";
    public const string EmailKey = "email";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "id", "email", "cio_id", "created_at", "_timestamp", "_update", "anonymous_id", "unsubscribed", "cio_relationships",
    };

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    private static partial Regex EmailShape();

    /// <summary>Why an id cannot be used, or null. Empty is allowed here: whether one is needed is the form's call.</summary>
    public static string? IdError(string? id, WorkspaceSettings settings)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (Encoding.UTF8.GetByteCount(id) > Limits.IdBytes)
        {
            return $"An id is at most {Limits.IdBytes} bytes.";
        }

        if (id.StartsWith(PersonReference.CioPrefix, StringComparison.Ordinal))
        {
            return "An id may not start with cio_: it could never be referenced.";
        }

        return Blocked(id, settings) ? $"\"{id}\" is a blocked identifier value in this workspace." : null;
    }

    public static string? EmailError(string? email, WorkspaceSettings settings)
    {
        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        if (Encoding.UTF8.GetByteCount(email) > Limits.AttributeValueBytes)
        {
            return $"An email is at most {Limits.AttributeValueBytes} bytes.";
        }

        if (!EmailShape().IsMatch(email.Trim()))
        {
            return "That is not an email address: it needs a name, an @ and a domain, like person@example.com.";
        }

        return settings.Identifiers == IdentifierMode.EmailOrId && Blocked(email, settings)
            ? $"\"{email}\" is a blocked identifier value in this workspace."
            : null;
    }

    public static string? NameError(string? name, IEnumerable<string> otherNames)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Give the attribute a name.";
        }

        if (Encoding.UTF8.GetByteCount(name) > Limits.AttributeNameBytes)
        {
            return $"An attribute name is at most {Limits.AttributeNameBytes} bytes.";
        }

        if (Reserved.Contains(name))
        {
            return $"\"{name}\" is reserved: {(name is IdKey or EmailKey ? "edit it in the identifiers above" : "the system sets it")}.";
        }

        return otherNames.Contains(name, StringComparer.Ordinal) ? $"\"{name}\" is already in the list (names are case-sensitive)." : null;
    }

    /// <summary>Why a row's value cannot be saved as its type, or null. A value never falls back to another type.</summary>
    public static string? ValueError(AttributeRow row) => row.Type switch
    {
        _ when row.Value.Length == 0 => "Give it a value. To remove an attribute, use its Remove button.",
        AttributeType.Number when !TryNumber(row.Value, out _) => $"\"{row.Value}\" is not a number: write one like 42 or 3.5, or choose Text.",
        AttributeType.Boolean when row.Value is not ("true" or "false") => "Choose true or false.",
        AttributeType.Json => JsonError(row.Value),
        _ => ValueBytesError(row.Value),
    };

    /// <summary>
    /// The rows as attribute values, or the first thing wrong with them (a name, a duplicate, a value): a form calls it
    /// when it submits, so that nothing is sent while any row is wrong, whatever the state of its button.
    /// </summary>
    public static string? TryCollect(IReadOnlyList<AttributeRow> rows, IReadOnlyCollection<string> taken, out Dictionary<string, AttributeValue> values)
    {
        values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (NameError(row.Name, rows.Where(r => !ReferenceEquals(r, row)).Select(r => r.Name).Concat(taken)) is { } nameError)
            {
                return $"{(string.IsNullOrWhiteSpace(row.Name) ? "An attribute" : row.Name)}: {nameError}";
            }

            if (ValueError(row) is { } valueError)
            {
                return $"{row.Name}: {valueError}";
            }

            values[row.Name] = ToValue(row);
        }

        return null;
    }

    /// <summary>A valid row's value (see <see cref="ValueError"/>); an invalid one is a programming error, not a Text value.</summary>
    public static AttributeValue ToValue(AttributeRow row)
    {
        if (ValueError(row) is { } error)
        {
            throw new InvalidOperationException($"The row {row.Name} is not valid: {error}");
        }

        return row.Type switch
        {
            AttributeType.Number when TryNumber(row.Value, out var number) => AttributeValue.FromNumber(number),
            AttributeType.Boolean => AttributeValue.FromBoolean(row.Value == "true"),
            AttributeType.Json => ParseJson(row.Value),
            _ => AttributeValue.FromString(row.Value),
        };
    }

    /// <summary>How the profile shows a value: JSON indented, everything else as it is.</summary>
    public static string Display(AttributeType type, string value)
    {
        if (type != AttributeType.Json)
        {
            return value;
        }

        using var document = JsonDocument.Parse(value);
        return JsonSerializer.Serialize(document.RootElement, IndentedJson);
    }

    private static readonly JsonSerializerOptions IndentedJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string? JsonError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return "A JSON array or object, like [\"a\", \"b\"] or {\"city\": \"Paris\"}; for a single value choose Text, Number or Boolean.";
            }

            return ValueBytesError(AttributeValue.FromJson(document.RootElement).Text!);
        }
        catch (JsonException e)
        {
            return $"Not valid JSON: {e.Message.Split(" Path:", 2)[0]}";
        }
    }

    private static AttributeValue ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return AttributeValue.FromJson(document.RootElement);
    }

    private static string? ValueBytesError(string value) =>
        Encoding.UTF8.GetByteCount(value) > Limits.AttributeValueBytes
            ? $"A value is at most {Limits.AttributeValueBytes} bytes; this one is {Encoding.UTF8.GetByteCount(value)}."
            : null;

    private static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool Blocked(string value, WorkspaceSettings settings) =>
        settings.BlockedIdentifierValues.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
}

using System.Globalization;
using System.Text;
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

    public static string? ValueError(AttributeRow row) => row.Type switch
    {
        _ when Encoding.UTF8.GetByteCount(row.Value) > Limits.AttributeValueBytes => $"A value is at most {Limits.AttributeValueBytes} bytes.",
        AttributeType.Number when !TryNumber(row.Value, out _) => "A number, like 42 or 3.5.",
        AttributeType.String when row.Value.Length == 0 => "An empty value removes the attribute: give it a value.",
        _ => null,
    };

    public static AttributeValue ToValue(AttributeRow row) => row.Type switch
    {
        AttributeType.Number when TryNumber(row.Value, out var number) => AttributeValue.FromNumber(number),
        AttributeType.Boolean => AttributeValue.FromBoolean(string.Equals(row.Value, "true", StringComparison.OrdinalIgnoreCase)),
        _ => AttributeValue.FromString(row.Value),
    };

    private static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool Blocked(string value, WorkspaceSettings settings) =>
        settings.BlockedIdentifierValues.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
}

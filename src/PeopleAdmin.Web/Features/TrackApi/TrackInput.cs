using System.Globalization;
using System.Text.Json;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.TrackApi;

/// <summary>
/// Reads the Track API's JSON into the identity service's inputs. Every problem names the field (as a JSON path
/// from the body, e.g. <c>device.platform</c>) and what was expected; nothing is enqueued when one is found.
/// </summary>
internal static class TrackInput
{
    public const int MaxSegmentIds = 1000;

    public static readonly string[] EventTypes = [EventInput.EventType, EventInput.PageType, EventInput.ScreenType];

    public static ApiProblem? RequireObject(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Object ? null : ApiProblem.Invalid(field, $"{Describe(field)} must be a JSON object; it was {Kind(element)}.");

    /// <summary>A body that is a JSON object with the property <paramref name="name"/> of <paramref name="kind"/>; <paramref name="whenMissing"/> says what is expected.</summary>
    public static ApiProblem? RequireProperty(JsonElement body, string name, JsonValueKind kind, string whenMissing, out JsonElement property)
    {
        property = default;
        if (RequireObject(body, "body") is { } notObject)
        {
            return notObject;
        }

        return body.TryGetProperty(name, out property) && property.ValueKind == kind ? null : ApiProblem.Invalid(name, whenMissing);
    }

    /// <summary>Attributes: every property a string, number, boolean, array, object or null (null and "" remove the attribute).</summary>
    public static ApiProblem? ReadAttributes(JsonElement element, string prefix, out Dictionary<string, AttributeValue> attributes)
    {
        attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (RequireObject(element, prefix.TrimEnd('.')) is { } notObject)
        {
            return notObject;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!AttributeValue.TryFromJson(property.Value, out var value))
            {
                return ApiProblem.Invalid(prefix + property.Name, $"Attribute '{property.Name}' is a number out of range; a number must fit a 64-bit float (about ±1.8e308).");
            }

            attributes[property.Name] = value;
        }

        return null;
    }

    /// <summary>An event of v1 (<c>data</c>) or v2 (<c>attributes</c>): name, data, timestamp, dedup id, type.</summary>
    public static ApiProblem? ReadEvent(JsonElement body, string dataField, string? fixedType, out EventInput? input)
    {
        input = null;
        if (ReadString(body, "name", required: true, out var name) is { } nameProblem)
        {
            return nameProblem;
        }

        var type = fixedType ?? EventInput.EventType;
        if (fixedType is null)
        {
            if (ReadString(body, "type", required: false, out var sentType) is { } typeProblem)
            {
                return typeProblem;
            }

            if (sentType is not null)
            {
                if (!EventTypes.Contains(sentType, StringComparer.Ordinal))
                {
                    return ApiProblem.Invalid("type", $"type must be one of {string.Join(", ", EventTypes)}; it was '{sentType}'.");
                }

                type = sentType;
            }
        }

        if (ReadTimestamp(body, "timestamp", out var timestamp) is { } timestampProblem)
        {
            return timestampProblem;
        }

        if (ReadString(body, "id", required: false, out var eventId) is { } idProblem)
        {
            return idProblem;
        }

        JsonElement? data = null;
        if (body.TryGetProperty(dataField, out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
        {
            if (RequireObject(dataElement, dataField) is { } dataProblem)
            {
                return dataProblem;
            }

            data = dataElement.Clone();
        }

        input = new EventInput(name!, type, data, timestamp, eventId);
        return null;
    }

    /// <summary>A device of v1 (<c>id</c>) or v2 (<c>token</c>).</summary>
    public static ApiProblem? ReadDevice(JsonElement body, string tokenField, out DeviceInput? device)
    {
        device = null;
        if (!body.TryGetProperty("device", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ApiProblem.Invalid("device", "device is required: {\"device\": {\"" + tokenField + "\": \"<token>\", \"platform\": \"ios\"}}.");
        }

        if (RequireObject(element, "device") is { } notObject)
        {
            return notObject;
        }

        if (ReadString(element, tokenField, required: true, out var token, "device.") is { } tokenProblem)
        {
            return tokenProblem;
        }

        if (ReadString(element, "platform", required: true, out var platform, "device.") is { } platformProblem)
        {
            return platformProblem;
        }

        if (ReadTimestamp(element, "last_used", out var lastUsed, "device.") is { } lastUsedProblem)
        {
            return lastUsedProblem;
        }

        Dictionary<string, AttributeValue>? attributes = null;
        if (element.TryGetProperty("attributes", out var attributesElement))
        {
            if (ReadAttributes(attributesElement, "device.attributes.", out var read) is { } attributesProblem)
            {
                return attributesProblem;
            }

            attributes = read;
        }

        device = new DeviceInput(token!, platform!, lastUsed, attributes);
        return null;
    }

    /// <summary>One side of a merge or a v2 <c>identifiers</c> object: exactly one of id, email, cio_id (the raw value).</summary>
    public static ApiProblem? ReadReference(JsonElement body, string field, IdentifierMode mode, out PersonReference reference)
    {
        reference = default;
        if (!body.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ApiProblem.Invalid(field, $"{field} is required: an object with exactly one of id, email or cio_id.");
        }

        if (RequireObject(element, field) is { } notObject)
        {
            return notObject;
        }

        var keys = element.EnumerateObject().Select(p => p.Name).ToList();
        if (keys.Count != 1)
        {
            return ApiProblem.Invalid(field, $"{field} must name exactly one identifier (id, email or cio_id); it named {(keys.Count == 0 ? "none" : string.Join(", ", keys))}.");
        }

        var key = keys[0];
        var value = element.GetProperty(key);
        var path = field + "." + key;
        string text;
        if (value.ValueKind == JsonValueKind.String)
        {
            text = value.GetString()!;
        }
        else if (value.ValueKind == JsonValueKind.Number && key == "id" && value.TryGetInt64(out var number))
        {
            text = number.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            return ApiProblem.Invalid(path, $"{path} must be a string; it was {Kind(value)}.");
        }

        if (text.Length == 0)
        {
            return ApiProblem.Invalid(path, $"{path} must not be empty.");
        }

        switch (key)
        {
            case "id":
                reference = PersonReference.ForId(text);
                return null;
            case "email" when mode == IdentifierMode.IdOnly:
                return ApiProblem.Invalid(path, "This workspace identifies people by id only (identifiers: id_only): reference them by id or cio_id.");
            case "email":
                reference = PersonReference.ForEmail(text);
                return null;
            case "cio_id":
                reference = PersonReference.ForCioId(StripCioPrefix(text));
                return null;
            default:
                return ApiProblem.Invalid(path, $"{key} is not an identifier here; use id, email or cio_id.");
        }
    }

    /// <summary>A reference by <c>id_type</c> (id, email, cio_id) and a raw value.</summary>
    public static ApiProblem? ReferenceByType(string? idType, string value, IdentifierMode mode, string field, out PersonReference reference)
    {
        reference = default;
        switch (idType ?? "id")
        {
            case "id":
                reference = PersonReference.ForId(value);
                return null;
            case "email" when mode == IdentifierMode.IdOnly:
                return ApiProblem.Invalid("id_type", "This workspace identifies people by id only (identifiers: id_only): id_type=email is not available.");
            case "email":
                reference = PersonReference.ForEmail(value);
                return null;
            case "cio_id":
                reference = PersonReference.ForCioId(StripCioPrefix(value));
                return null;
            default:
                return ApiProblem.Invalid("id_type", $"id_type must be id, email or cio_id; it was '{idType}'.");
        }
    }

    public static string StripCioPrefix(string value) =>
        value.StartsWith(PersonReference.CioPrefix, StringComparison.Ordinal) ? value[PersonReference.CioPrefix.Length..] : value;

    public static ApiProblem? ReadString(JsonElement body, string name, bool required, out string? value, string prefix = "")
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? ApiProblem.Invalid(prefix + name, $"{prefix}{name} is required.") : null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return ApiProblem.Invalid(prefix + name, $"{prefix}{name} must be a string; it was {Kind(element)}.");
        }

        value = element.GetString();
        return required && string.IsNullOrEmpty(value) ? ApiProblem.Invalid(prefix + name, $"{prefix}{name} must not be empty.") : null;
    }

    /// <summary>A unix timestamp in seconds: a whole number (a numeric string is accepted too, as Customer.io does).</summary>
    public static ApiProblem? ReadTimestamp(JsonElement body, string name, out long? value, string prefix = "")
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number) && number >= 0)
        {
            value = number;
            return null;
        }

        if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return null;
        }

        return ApiProblem.Invalid(prefix + name, $"{prefix}{name} must be a unix timestamp in whole seconds; it was {Kind(element)} {Truncate(element.GetRawText())}.");
    }

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static string Describe(string field) => field is "" or "body" ? "The request body" : field;

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

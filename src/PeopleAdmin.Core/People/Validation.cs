using System.Globalization;
using System.Text;

namespace PeopleAdmin.Core.People;

/// <summary>The limits of identity rule 5.</summary>
public static class Limits
{
    public const int IdBytes = 150;
    public const int AttributeNameBytes = 150;
    public const int AttributeValueBytes = 1000;
    public const int CustomAttributes = 300;
    public const int EventNameBytes = 100;
    public const int EventDataBytes = 100_000;
    public const int DeviceTokenBytes = 255;
    public const int SegmentNameBytes = 150;

    /// <summary>A manual segment's description, in characters: a note for whoever reads the list next, not a document.</summary>
    public const int SegmentDescriptionCharacters = 1000;

    /// <summary>Entries of a workspace's blocked_identifier_values: every identifier is compared with each of them.</summary>
    public const int BlockedIdentifierValues = 200;

    /// <summary>The last unix second a calendar holds (9999-12-31T23:59:59Z): the bound of event times and a device's last_used.</summary>
    public const long MaxUnixSeconds = 253_402_300_799;
}

/// <summary>The body keys that identify interprets; every other key is a custom attribute.</summary>
public static class ReservedKeys
{
    public const string Id = "id";
    public const string Email = "email";
    public const string CioId = "cio_id";
    public const string CreatedAt = "created_at";
    public const string Timestamp = "_timestamp";
    public const string Update = "_update";
    public const string AnonymousId = "anonymous_id";
    public const string Unsubscribed = "unsubscribed";
    public const string Relationships = "cio_relationships";

    public static bool IsReserved(string name) => name is Id or Email or CioId or CreatedAt or Timestamp or Update or AnonymousId or Unsubscribed or Relationships;
}

/// <summary>
/// Checks that need no database (limits, shapes): the APIs call it before enqueueing, and the service calls it
/// again for every operation, so no entry point can skip it.
/// </summary>
public static class OperationValidator
{
    /// <summary>Null when the operation is well-formed; otherwise what, where and why.</summary>
    public static RequestError? Validate(PeopleOperation operation) => operation switch
    {
        IdentifyOperation identify => identify.Check().Error,
        PublicIdentifyOperation identify => identify.Check().Error,
        Forms.SubmitFormOperation submit => Forms.FormRules.ValidateSubmission(submit),
        LeadAds.SubmitLeadOperation lead => Forms.FormRules.ValidateFields(lead.Fields),
        AddPersonOperation add => ValidateAdd(add),
        TrackEventOperation track => ValidateReference(track.Reference, "identifier") ?? ValidateEvent(track.Event),
        TrackAnonymousEventOperation anonymous => ValidateEvent(anonymous.Event) ?? ValidateAnonymousId(anonymous.AnonymousId),
        UpsertDeviceOperation device => ValidateReference(device.Reference, "identifier") ?? ValidateDevice(device.Device),
        RemoveDeviceOperation device => ValidateReference(device.Reference, "identifier") ?? (string.IsNullOrWhiteSpace(device.Token) ? Invalid("device.id", "the device token is empty") : null),
        DeletePersonOperation delete => ValidateReference(delete.Reference, "identifier"),
        SuppressOperation suppress => ValidateReference(suppress.Reference, "identifier"),
        UnsuppressOperation unsuppress => ValidateReference(unsuppress.Reference, "identifier"),
        MergeOperation merge => ValidateReference(merge.Primary, "primary") ?? ValidateReference(merge.Secondary, "secondary"),
        CreateSegmentOperation create => ValidateSegment(create.Name, create.Description),
        RenameSegmentOperation rename => ValidateSegment(rename.Name, rename.Description),
        AddToSegmentOperation add => ValidateReferences(add.People),
        RemoveFromSegmentOperation remove => ValidateReferences(remove.People),
        _ => Objects.ObjectValidator.Validate(operation),
    };

    /// <summary>An identify's reference, body and relationships; <paramref name="body"/> is the body taken apart.</summary>
    internal static RequestError? ValidateIdentify(IdentifyOperation identify, out IdentifyBody body)
    {
        var reference = ValidateReference(identify.Reference, "identifier");
        var relationships = ValidateRelationships(identify);
        var parsed = IdentifyBody.Parse(identify.Attributes, out body);
        return reference ?? relationships ?? parsed;
    }

    public static int Bytes(string value) => Encoding.UTF8.GetByteCount(value);

    internal static RequestError Invalid(string field, string message) => new(ErrorKind.Invalid, field, message);

    /// <summary>A path identifier (or a merge side, or a segment member): not empty, an id within its limit and not starting with cio_.</summary>
    public static RequestError? ValidateReference(PersonReference reference, string field)
    {
        if (string.IsNullOrEmpty(reference.Value) || (reference.Kind == ReferenceKind.CioId && reference.Value == PersonReference.CioPrefix))
        {
            return Invalid(field, $"the {field} is empty");
        }

        if (MalformedText(reference.Value, field) is { } malformed)
        {
            return malformed;
        }

        if (reference.Kind != ReferenceKind.CioId && TextRules.IdentifierProblem(reference.Value) is { } unreadable)
        {
            return Invalid(field, unreadable);
        }

        return reference.Kind switch
        {
            ReferenceKind.Id => ValidateIdValue(reference.Value, field),
            ReferenceKind.Email when Bytes(reference.Value) > Limits.AttributeValueBytes =>
                Invalid(field, $"email is {Bytes(reference.Value)} bytes; the limit is {Limits.AttributeValueBytes} bytes"),
            _ => null,
        };
    }

    /// <summary>An id's own limit (400 wherever it appears) and the cio_ prefix (400 in a path).</summary>
    public static RequestError? ValidateIdValue(string id, string field)
    {
        var bytes = Bytes(id);
        if (bytes > Limits.IdBytes)
        {
            return Invalid(field, $"id is {bytes} bytes; the limit is {Limits.IdBytes} bytes");
        }

        return id.StartsWith(PersonReference.CioPrefix, StringComparison.Ordinal)
            ? Invalid(field, $"an id may not start with \"{PersonReference.CioPrefix}\" (it could never be referenced): \"{id}\"")
            : null;
    }

    private static RequestError? ValidateReferences(IReadOnlyList<PersonReference> references)
    {
        for (var i = 0; i < references.Count; i++)
        {
            if (ValidateReference(references[i], $"ids[{i}]") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static RequestError? ValidateRelationships(IdentifyOperation identify) =>
        identify.Attributes.ContainsKey(ReservedKeys.Relationships)
            ? Invalid(ReservedKeys.Relationships, "cio_relationships is not an attribute: the API reads it beside the attributes, as {\"action\": \"add_relationships\", \"relationships\": [...]}")
            : Objects.ObjectValidator.ValidateRelationships(identify.Relationships ?? []);

    private static RequestError? ValidateAdd(AddPersonOperation add)
    {
        if (add.Id is not null && ValidateIdValue(add.Id, "id") is { } idError)
        {
            return idError;
        }

        if (add.Email is not null && Bytes(add.Email) > Limits.AttributeValueBytes)
        {
            return Invalid("email", $"email is {Bytes(add.Email)} bytes; the limit is {Limits.AttributeValueBytes} bytes");
        }

        foreach (var key in add.Attributes.Keys)
        {
            if (key is ReservedKeys.Id or ReservedKeys.Email or ReservedKeys.CioId or ReservedKeys.Update or ReservedKeys.Relationships)
            {
                return Invalid(key, $"\"{key}\" is not an attribute of Add person; give identifiers in their own fields");
            }
        }

        return IdentifyBody.Parse(add.Attributes, out _);
    }

    private static RequestError? ValidateEvent(EventInput input)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            return Invalid("name", "the event name is empty");
        }

        if ((MalformedText(name, "name") ?? MalformedText(input.EventId, "id")) is { } malformed)
        {
            return malformed;
        }

        if (input.Data is { } json && TextRules.FindMalformed(json, "data") is { } where)
        {
            return Invalid(where, TextRules.MalformedMessage(where));
        }

        if (input.Timestamp is < 0 or > Limits.MaxUnixSeconds)
        {
            return Invalid("timestamp", $"timestamp is {input.Timestamp}; it must be unix seconds from 0 to {Limits.MaxUnixSeconds} (a date a calendar holds)");
        }

        if (Bytes(name) > Limits.EventNameBytes)
        {
            return Invalid("name", $"name is {Bytes(name)} bytes; the limit is {Limits.EventNameBytes} bytes");
        }

        if (input.Type is not (EventInput.EventType or EventInput.PageType or EventInput.ScreenType))
        {
            return Invalid("type", $"type is \"{input.Type}\"; it must be event, page or screen");
        }

        if (input.Data is { } data && data.ValueKind is not (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined))
        {
            return Invalid("data", "data must be a JSON object");
        }

        if (input.Data is { ValueKind: System.Text.Json.JsonValueKind.Object } body && Bytes(body.GetRawText()) > Limits.EventDataBytes)
        {
            return Invalid("data", $"data is {Bytes(body.GetRawText())} bytes; the limit is {Limits.EventDataBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }

        return input.EventId is { } id && Bytes(id) > Limits.IdBytes
            ? Invalid("id", $"the event id is {Bytes(id)} bytes; the limit is {Limits.IdBytes} bytes")
            : null;
    }

    private static RequestError? ValidateAnonymousId(string? anonymousId) =>
        MalformedText(anonymousId, "anonymous_id") is { } malformed ? malformed
        : anonymousId is not null && Bytes(anonymousId) > Limits.AttributeValueBytes
            ? Invalid("anonymous_id", $"anonymous_id is {Bytes(anonymousId)} bytes; the limit is {Limits.AttributeValueBytes} bytes")
            : null;

    private static RequestError? ValidateDevice(DeviceInput device)
    {
        if (string.IsNullOrWhiteSpace(device.Token))
        {
            return Invalid("device.id", "the device token is empty");
        }

        if (Bytes(device.Token) > Limits.DeviceTokenBytes)
        {
            return Invalid("device.id", $"the device token is {Bytes(device.Token)} bytes; the limit is {Limits.DeviceTokenBytes} bytes");
        }

        if (MalformedText(device.Token, "device.id") is { } malformed)
        {
            return malformed;
        }

        if (device.LastUsed is < 0 or > Limits.MaxUnixSeconds)
        {
            return Invalid("device.last_used", $"last_used is {device.LastUsed}; it must be unix seconds from 0 to {Limits.MaxUnixSeconds} (a date a calendar holds)");
        }

        if (device.Platform is not ("ios" or "android"))
        {
            return Invalid("device.platform", $"platform is \"{device.Platform}\"; it must be ios or android");
        }

        foreach (var (name, value) in device.Attributes ?? new Dictionary<string, AttributeValue>())
        {
            if (AttributeError(name, value, "device.attributes.") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static RequestError? ValidateSegment(string name, string? description) =>
        ValidateSegmentName(name) ?? (description is null ? null : MalformedText(description, "description"))
        ?? (description?.Trim().Length > Limits.SegmentDescriptionCharacters
            ? Invalid("description", $"the description is {description.Trim().Length:N0} characters; the limit is {Limits.SegmentDescriptionCharacters:N0}")
            : null);

    private static RequestError? ValidateSegmentName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Invalid("name", "the segment name is empty");
        }

        if (MalformedText(name, "name") is { } malformed)
        {
            return malformed;
        }

        return Bytes(name.Trim()) > Limits.SegmentNameBytes
            ? Invalid("name", $"name is {Bytes(name.Trim())} bytes; the limit is {Limits.SegmentNameBytes} bytes")
            : null;
    }

    internal static RequestError? AttributeError(string name, AttributeValue value, string prefix = "")
    {
        if (name.Length == 0)
        {
            return Invalid(prefix + "(name)", "an attribute name is empty");
        }

        if ((MalformedText(name, prefix + "(name)") ?? MalformedText(value.Text, prefix + name)) is { } malformed)
        {
            return malformed;
        }

        var nameBytes = Bytes(name);
        if (nameBytes > Limits.AttributeNameBytes)
        {
            return Invalid(prefix + name, $"the attribute name is {nameBytes} bytes; the limit is {Limits.AttributeNameBytes} bytes");
        }

        var valueBytes = value.Text is null ? 0 : Bytes(value.Text);
        return valueBytes > Limits.AttributeValueBytes
            ? Invalid(prefix + name, $"{name} is {valueBytes} bytes; the limit is {Limits.AttributeValueBytes} bytes")
            : null;
    }

    /// <summary>A lone UTF-16 surrogate cannot be stored as UTF-8 nor read back: refused wherever text comes in.</summary>
    private static RequestError? MalformedText(string? value, string field) =>
        value is null || TextRules.IsWellFormed(value) ? null : Invalid(field, TextRules.MalformedMessage(field));
}

using System.Text.Json;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.LeadAds;

/// <summary>
/// A lead form's field mapping in the management API's words (<c>"id"</c>, <c>"email"</c>, <c>"attribute:&lt;name&gt;"</c>,
/// <c>"ignore"</c>), turned into a custom form's mapping so that the form rules apply to leads unchanged.
/// </summary>
public static class LeadAdMapping
{
    /// <summary>Reads <c>{"field": "role"}</c>; null with the fields, or what is wrong and where.</summary>
    public static RequestError? Read(JsonElement mapping, string field, IdentifierMode mode, out List<FormField> fields)
    {
        fields = [];
        if (mapping.ValueKind != JsonValueKind.Object)
        {
            return Invalid(field, $"{field} must be an object of field names, each \"id\", \"email\", \"attribute:<name>\" or \"ignore\"");
        }

        foreach (var property in mapping.EnumerateObject())
        {
            var role = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : "";
            FormField? mapped = role switch
            {
                "id" => Field(property.Name, FormFieldRole.Id),
                "email" => Field(property.Name, FormFieldRole.Email),
                "ignore" => Field(property.Name, FormFieldRole.Ignored),
                _ when role.StartsWith("attribute:", StringComparison.Ordinal) && role.Length > "attribute:".Length =>
                    Field(property.Name, FormFieldRole.Attribute, role["attribute:".Length..]),
                _ => null,
            };
            if (mapped is null)
            {
                return Invalid($"{field}.{property.Name}", $"{field}.{property.Name} must be \"id\", \"email\", \"attribute:<name>\" or \"ignore\"; it was {property.Value.GetRawText()}");
            }

            fields.Add(mapped);
        }

        return FormRules.ValidateMapping(fields, mode) is { } invalid ? invalid with { Field = $"{field}.{invalid.Field}" } : null;
    }

    /// <summary>A stored mapping back as form fields; empty (map by name) when there is none.</summary>
    public static List<FormField> Parse(string? json)
    {
        if (json is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        Read(document.RootElement, "mapping", IdentifierMode.EmailOrId, out var fields);
        return fields;
    }

    private static FormField Field(string name, FormFieldRole role, string? attribute = null) =>
        new() { Name = name, Role = role, AttributeName = attribute?.Trim() };

    private static RequestError Invalid(string field, string message) => new(ErrorKind.Invalid, field, message);
}

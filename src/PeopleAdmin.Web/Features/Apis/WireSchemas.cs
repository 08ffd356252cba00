using Microsoft.OpenApi;

namespace PeopleAdmin.Web.Features.Apis;

/// <summary>
/// The request bodies whose handlers read a JSON object key by key (Track v1 identify, v2 entity and batch items), so
/// that the document describes their properties instead of a bare object.
/// </summary>
internal static class WireSchemas
{
    public const string IdentifyAttributes = "IdentifyAttributes";
    public const string EntityOperation = "EntityOperation";

    /// <summary>Adds the schemas and points the identify, entity and batch bodies at them.</summary>
    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[IdentifyAttributes] = Identify();
        document.Components.Schemas[EntityOperation] = Entity();
        if (document.Components.Schemas.TryGetValue("BatchRequest", out var batch) && batch.Properties is { } batchProperties
            && batchProperties.TryGetValue("batch", out var list) && list is OpenApiSchema items)
        {
            items.Items = new OpenApiSchemaReference(EntityOperation, document);
        }

        SetBody(document, "/api/v1/customers/{identifier}", HttpMethod.Put, IdentifyAttributes);
        SetBody(document, "/api/v2/entity", HttpMethod.Post, EntityOperation);
    }

    private static void SetBody(OpenApiDocument document, string path, HttpMethod method, string schema)
    {
        if (document.Paths.TryGetValue(path, out var item) && item.Operations is { } operations
            && operations.TryGetValue(method, out var operation) && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Values.OfType<OpenApiMediaType>())
            {
                media.Schema = new OpenApiSchemaReference(schema, document);
            }
        }
    }

    private static OpenApiSchema Identify() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "The person's attributes. Every key that is not reserved is a custom attribute (names are case-sensitive, at most " +
                      "150 bytes, 300 per request); null or \"\" removes it.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Text("Sets the id when the person has none; a set id changes only through a cio_id reference. At most 150 bytes."),
            ["email"] = Text("Sets the email; a set email changes through a cio_id reference, or an id reference when allow_email_updates_by_id is on."),
            ["cio_id"] = Text("References the person by cio_id (with or without the cio_ prefix), whatever the path says."),
            ["created_at"] = UnixSeconds("The client's own creation time of the person."),
            ["_timestamp"] = UnixSeconds("When the client made this change: an attribute changed later by another write is skipped."),
            ["_update"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "true: update only; nobody is created." },
            ["anonymous_id"] = Text("Attaches the anonymous events of this visitor (when anonymous_event_merge is on)."),
            ["unsubscribed"] = new OpenApiSchema { Type = JsonSchemaType.Boolean | JsonSchemaType.String | JsonSchemaType.Integer, Description = "true, \"true\" (any case), 1 or \"1\" unsubscribe." },
            ["cio_relationships"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Relates the person to objects, or removes the relationships; objects that do not exist are skipped (logged).",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["action"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. new[] { "add_relationships", "delete_relationships" }.Select(v => (System.Text.Json.Nodes.JsonNode)v)] },
                    ["relationships"] = ObjectRelationships(),
                },
            },
        },
        AdditionalProperties = AttributeValue(),
    };

    private static OpenApiSchema Entity() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "type", "action", "identifiers" },
        Description = "One operation on one person (type person) or one object (type object: identify, delete, add_relationships, " +
                      "delete_relationships; its type must exist first).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. new[] { "person", "object" }.Select(v => (System.Text.Json.Nodes.JsonNode)v)] },
            ["action"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. new[] { "identify", "delete", "event", "screen", "page", "add_device", "delete_device", "suppress", "unsuppress", "merge", "add_relationships", "delete_relationships" }
                    .Select(v => (System.Text.Json.Nodes.JsonNode)v)],
            },
            ["identifiers"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "A person: exactly one of id, email or cio_id. An object: object_type_id and object_id (at most 150 bytes), or cio_object_id (updates only).",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["id"] = Text(null), ["email"] = Text(null), ["cio_id"] = Text(null),
                    ["object_type_id"] = Text("The object type's id, a whole number as a string (\"1\")."), ["object_id"] = Text(null), ["cio_object_id"] = Text(null),
                },
            },
            ["cio_relationships"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "A person's identify, add_relationships, delete_relationships: the objects, each {identifiers: {object_type_id, object_id}, " +
                              "relationship_attributes}. An object's identify, add_relationships, delete_relationships: the people, each " +
                              "{identifiers: {id | email | cio_id}, relationship_attributes}. Whoever or whatever does not exist is skipped (logged), never created.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["identifiers"] = new OpenApiSchema { Type = JsonSchemaType.Object },
                        ["relationship_attributes"] = RelationshipAttributes(),
                    },
                },
            },
            ["attributes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "identify: the person's attributes, as in the v1 identify body (reserved keys included), or the object's (300 at most, 100 KB in all); event, page, screen: the event's data.",
                AdditionalProperties = AttributeValue(),
            },
            ["name"] = Text("The event name (event), the page URL (page) or the screen name (screen); at most 100 bytes."),
            ["timestamp"] = UnixSeconds("When it happened (events) or when the client made the change (identify)."),
            ["id"] = Text("An event's deduplication id."),
            ["device"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "add_device and delete_device.",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["token"] = Text("The device token, at most 255 bytes."),
                    ["platform"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. new[] { "ios", "android" }.Select(v => (System.Text.Json.Nodes.JsonNode)v)] },
                    ["last_used"] = UnixSeconds(null),
                    ["attributes"] = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = AttributeValue() },
                },
            },
            ["primary"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "merge: the person who stays, by one identifier." },
            ["secondary"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "merge: the person merged into the primary." },
        },
    };

    private static OpenApiSchema ObjectRelationships() => new()
    {
        Type = JsonSchemaType.Array,
        Items = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["identifiers"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "object_type_id", "object_id" },
                    Properties = new Dictionary<string, IOpenApiSchema> { ["object_type_id"] = Text(null), ["object_id"] = Text(null) },
                },
                ["relationship_attributes"] = RelationshipAttributes(),
            },
        },
    };

    private static OpenApiSchema RelationshipAttributes() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "The relationship's own attributes (300 at most, 100 KB in all); null or \"\" removes one.",
        AdditionalProperties = AttributeValue(),
    };

    private static OpenApiSchema AttributeValue() => new()
    {
        Description = "A string, number, boolean, JSON array or object (kept as its JSON text; 1,000 bytes at most), or null to remove.",
        Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Array | JsonSchemaType.Object | JsonSchemaType.Null,
    };

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema UnixSeconds(string? description) => new()
    {
        Type = JsonSchemaType.Integer | JsonSchemaType.String,
        Format = "int64",
        Description = (description is null ? "" : description + " ") + "Unix seconds.",
    };
}

using System.Globalization;
using System.Text.Json;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.TrackApi;

/// <summary>Reads the Track API's object identifiers and <c>cio_relationships</c>, each problem named by its JSON path.</summary>
internal static class RelationshipReader
{
    /// <summary>An object's <c>identifiers</c>: <c>object_type_id</c> and <c>object_id</c>, or <c>cio_object_id</c>.</summary>
    public static ApiProblem? ReadObject(JsonElement item, string field, out ObjectReference reference)
    {
        reference = default;
        if (!item.TryGetProperty("identifiers", out var identifiers) || identifiers.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.Invalid(field, $"{field} is required: {{\"object_type_id\": \"1\", \"object_id\": \"acme\"}} or {{\"cio_object_id\": \"…\"}}.");
        }

        if (identifiers.TryGetProperty("cio_object_id", out var cio) && cio.ValueKind != JsonValueKind.Null)
        {
            if (cio.ValueKind != JsonValueKind.String)
            {
                return ApiProblem.Invalid(field + ".cio_object_id", $"{field}.cio_object_id must be a string; it was {TrackInput.Kind(cio)}.");
            }

            reference = ObjectReference.ForCioObjectId(cio.GetString()!);
            return null;
        }

        if (ReadText(identifiers, "object_type_id", field, out var typeId) is { } typeProblem)
        {
            return typeProblem;
        }

        if (ReadText(identifiers, "object_id", field, out var objectId) is { } idProblem)
        {
            return idProblem;
        }

        reference = ObjectReference.For(typeId!, objectId!);
        return null;
    }

    /// <summary>A person's side (<c>object_relationships</c>): the objects, each with its relationship's attributes.</summary>
    public static ApiProblem? ReadObjects(JsonElement array, string field, out List<RelationshipInput> relationships)
    {
        relationships = [];
        if (array.ValueKind != JsonValueKind.Array)
        {
            return ApiProblem.Invalid(field, $"{field} must be an array of {{\"identifiers\": {{\"object_type_id\", \"object_id\"}}, \"relationship_attributes\"}}; it was {TrackInput.Kind(array)}.");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{field}[{index++}]";
            var reference = default(ObjectReference);
            if ((TrackInput.RequireObject(item, path) ?? ReadObject(item, path + ".identifiers", out reference)) is { } problem)
            {
                return problem;
            }

            if (reference.CioObjectId is not null)
            {
                return ApiProblem.Invalid(path + ".identifiers", $"{path}.identifiers must name object_type_id and object_id here.");
            }

            if (ReadAttributes(item, path, out var attributes) is { } attributesProblem)
            {
                return attributesProblem;
            }

            relationships.Add(new RelationshipInput(reference.ObjectTypeId!, reference.ObjectId!, attributes));
        }

        return null;
    }

    /// <summary>An object's side (<c>v2_cio_relationships</c>): the people, each by one identifier, with the relationship's attributes.</summary>
    public static ApiProblem? ReadPeople(JsonElement array, string field, IdentifierMode mode, out List<RelatedPersonInput> people)
    {
        people = [];
        if (array.ValueKind != JsonValueKind.Array)
        {
            return ApiProblem.Invalid(field, $"{field} must be an array of {{\"identifiers\": {{\"id\"|\"email\"|\"cio_id\"}}, \"relationship_attributes\"}}; it was {TrackInput.Kind(array)}.");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{field}[{index++}]";
            var person = default(PersonReference);
            if ((TrackInput.RequireObject(item, path) ?? TrackInput.ReadReference(item, "identifiers", mode, out person)) is { } problem)
            {
                return problem with { Field = problem.Field.StartsWith(path, StringComparison.Ordinal) ? problem.Field : $"{path}.{problem.Field}" };
            }

            if (ReadAttributes(item, path, out var attributes) is { } attributesProblem)
            {
                return attributesProblem;
            }

            people.Add(new RelatedPersonInput(person, attributes));
        }

        return null;
    }

    /// <summary>
    /// Track v1's <c>cio_relationships</c> in an identify body: <c>{"action": "add_relationships" | "delete_relationships",
    /// "relationships": [...]}</c>; absent or null: none.
    /// </summary>
    public static ApiProblem? ReadV1(JsonElement body, out RelationshipAction action, out List<RelationshipInput>? relationships)
    {
        const string Field = "cio_relationships";
        action = RelationshipAction.Add;
        relationships = null;
        if (!body.TryGetProperty(Field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.Invalid(Field, $"{Field} must be an object {{\"action\": \"add_relationships\", \"relationships\": [...]}}; it was {TrackInput.Kind(element)}.");
        }

        if (TrackInput.ReadString(element, "action", required: false, out var named, Field + ".") is { } actionProblem)
        {
            return actionProblem;
        }

        switch (named)
        {
            case null or "add_relationships":
                break;
            case "delete_relationships":
                action = RelationshipAction.Delete;
                break;
            default:
                return ApiProblem.Invalid(Field + ".action", $"{Field}.action must be add_relationships or delete_relationships; it was '{named}'.");
        }

        if (!element.TryGetProperty("relationships", out var list))
        {
            return ApiProblem.Invalid(Field + ".relationships", $"{Field}.relationships is required: an array of objects to relate.");
        }

        var problem = ReadObjects(list, Field + ".relationships", out var read);
        relationships = read;
        return problem;
    }

    private static ApiProblem? ReadAttributes(JsonElement item, string path, out Dictionary<string, AttributeValue> attributes)
    {
        var element = item.TryGetProperty("relationship_attributes", out var found) ? found : default;
        return TrackInput.ReadAttributes(element, path + ".relationship_attributes.", out attributes);
    }

    /// <summary>An identifier of an object: a string, or a whole number sent as one (<c>"object_type_id": 1</c>).</summary>
    private static ApiProblem? ReadText(JsonElement identifiers, string name, string field, out string? value)
    {
        value = null;
        var path = $"{field}.{name}";
        if (!identifiers.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ApiProblem.Invalid(path, $"{path} is required.");
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            value = number.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return ApiProblem.Invalid(path, $"{path} must be a string; it was {TrackInput.Kind(element)}.");
        }

        value = element.GetString();
        return string.IsNullOrEmpty(value) ? ApiProblem.Invalid(path, $"{path} must not be empty.") : null;
    }
}

using System.Globalization;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Objects;

/// <summary>The checks of the object operations that need no database; <see cref="OperationValidator"/> calls it.</summary>
public static class ObjectValidator
{
    internal static RequestError? Validate(PeopleOperation operation) => operation switch
    {
        CreateObjectTypeOperation create => ValidateTypeName(create.Name),
        RenameObjectTypeOperation rename => ValidateTypeName(rename.Name),
        IdentifyObjectOperation identify => ValidateObject(identify.Object, "identifiers")
            ?? ObjectAttributes.Validate(identify.Attributes, "attributes.")
            ?? ValidatePeople(identify.People ?? []),
        DeleteObjectOperation delete => ValidateObject(delete.Object, "identifiers"),
        RelateObjectOperation relate => ValidateObject(relate.Object, "identifiers") ?? ValidatePeople(relate.People),
        RelatePersonOperation relate => OperationValidator.ValidateReference(relate.Person, "identifiers") ?? ValidateRelationships(relate.Objects),
        _ => null,
    };

    /// <summary>The objects a person is related to (an identify's <c>cio_relationships</c>, a person's relationship operation).</summary>
    internal static RequestError? ValidateRelationships(IReadOnlyList<RelationshipInput> relationships)
    {
        for (var i = 0; i < relationships.Count; i++)
        {
            var field = $"cio_relationships[{i}]";
            var relationship = relationships[i];
            if ((ValidateObject(new ObjectReference(relationship.ObjectTypeId, relationship.ObjectId), field + ".identifiers")
                ?? ObjectAttributes.Validate(relationship.Attributes, field + ".relationship_attributes.")) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>An <c>object_type_id</c> as sent: a whole number from 1, as Customer.io numbers types.</summary>
    public static bool TryTypeId(string? value, out int typeId) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out typeId) && typeId > 0;

    private static RequestError? ValidatePeople(IReadOnlyList<RelatedPersonInput> people)
    {
        for (var i = 0; i < people.Count; i++)
        {
            var field = $"cio_relationships[{i}]";
            if ((OperationValidator.ValidateReference(people[i].Person, field + ".identifiers")
                ?? ObjectAttributes.Validate(people[i].Attributes, field + ".relationship_attributes.")) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static RequestError? ValidateObject(ObjectReference reference, string field)
    {
        if (reference.CioObjectId is { } cioObjectId)
        {
            return string.IsNullOrWhiteSpace(cioObjectId) || !TextRules.IsWellFormed(cioObjectId) || cioObjectId.Length > 32
                ? OperationValidator.Invalid(field + ".cio_object_id", $"cio_object_id \"{cioObjectId}\" is not one PeopleAdmin gives (like \"ob1f4c2a9e0d7b3a5c\")")
                : null;
        }

        if (!TryTypeId(reference.ObjectTypeId, out _))
        {
            return OperationValidator.Invalid(field + ".object_type_id", string.IsNullOrEmpty(reference.ObjectTypeId)
                ? "object_type_id is required: the object type's id, like \"1\""
                : $"object_type_id is \"{reference.ObjectTypeId}\"; it must be an object type's id, a whole number like \"1\"");
        }

        var objectId = reference.ObjectId;
        if (string.IsNullOrEmpty(objectId))
        {
            return OperationValidator.Invalid(field + ".object_id", "object_id is required and may not be empty");
        }

        if (!TextRules.IsWellFormed(objectId))
        {
            return OperationValidator.Invalid(field + ".object_id", TextRules.MalformedMessage(field + ".object_id"));
        }

        var bytes = OperationValidator.Bytes(objectId);
        return bytes > ObjectLimits.ObjectIdBytes
            ? OperationValidator.Invalid(field + ".object_id", $"object_id is {bytes} bytes; the limit is {ObjectLimits.ObjectIdBytes} bytes")
            : null;
    }

    private static RequestError? ValidateTypeName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return OperationValidator.Invalid("name", "the object type's name is empty");
        }

        if (!TextRules.IsWellFormed(name))
        {
            return OperationValidator.Invalid("name", TextRules.MalformedMessage("name"));
        }

        var bytes = OperationValidator.Bytes(name.Trim());
        return bytes > ObjectLimits.TypeNameBytes
            ? OperationValidator.Invalid("name", $"name is {bytes} bytes; the limit is {ObjectLimits.TypeNameBytes} bytes")
            : null;
    }
}

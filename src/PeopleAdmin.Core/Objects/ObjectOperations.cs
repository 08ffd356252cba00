using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Objects;

// The object operations of the identity service. Each is a record of its input; how it applies lives in ObjectRules
// and RelationshipRules.

/// <summary>
/// How a request names an object: its type's <c>object_type_id</c> and its <c>object_id</c>, or its
/// <c>cio_object_id</c> (updates only).
/// </summary>
public readonly record struct ObjectReference(string? ObjectTypeId, string? ObjectId, string? CioObjectId = null)
{
    public static ObjectReference For(string objectTypeId, string objectId) => new(objectTypeId, objectId);

    public static ObjectReference ForCioObjectId(string cioObjectId) => new(null, null, cioObjectId);

    public override string ToString() => CioObjectId ?? $"{ObjectTypeId}/{ObjectId}";
}

/// <summary>The activity entry on a person for each relationship added, updated or removed.</summary>
public static class ObjectActivityTypes
{
    public const string RelationshipChange = "relationship_change";
}

public enum RelationshipAction
{
    Add,
    Delete,
}

/// <summary>A person named by an object's relationship operation, with the relationship's attributes.</summary>
public sealed record RelatedPersonInput(PersonReference Person, IReadOnlyDictionary<string, AttributeValue> Attributes);

/// <summary>Creates an object type; answers its <c>object_type_id</c> in <see cref="OperationResult.RecordId"/>.</summary>
public sealed record CreateObjectTypeOperation(string Name) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        ObjectRules.ApplyAsync(this, session, cancellationToken);
}

public sealed record RenameObjectTypeOperation(int ObjectTypeId, string Name) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        ObjectRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>
/// Identify an object: create it (by type and object id) or update its attributes, then relate the people named in
/// <paramref name="People"/>. A type must exist first.
/// </summary>
public sealed record IdentifyObjectOperation(
    ObjectReference Object,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    IReadOnlyList<RelatedPersonInput>? People = null) : PeopleOperation
{
    internal override long EstimatedBytes => BaseBytes + BytesOf(Attributes);

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        ObjectRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Deletes an object and its relationships.</summary>
public sealed record DeleteObjectOperation(ObjectReference Object) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        ObjectRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Relates people to an object (or removes their relationships); people nobody holds are skipped and listed in <see cref="OperationResult.NotFound"/>.</summary>
public sealed record RelateObjectOperation(ObjectReference Object, RelationshipAction Action, IReadOnlyList<RelatedPersonInput> People) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        ObjectRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Relates a person to objects (or removes the relationships); objects that do not exist are skipped and listed in <see cref="OperationResult.NotFound"/>.</summary>
public sealed record RelatePersonOperation(PersonReference Person, RelationshipAction Action, IReadOnlyList<RelationshipInput> Objects) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        RelationshipRules.ApplyAsync(this, session, cancellationToken);
}

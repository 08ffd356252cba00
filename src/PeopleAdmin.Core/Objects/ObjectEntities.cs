namespace PeopleAdmin.Core.Objects;

/// <summary>
/// A kind of object in a workspace ("Accounts", "Courses"). <see cref="TypeId"/> is Customer.io's
/// <c>object_type_id</c>: a sequential number per workspace, sent and answered as a string.
/// </summary>
public sealed class ObjectType
{
    public int Id { get; set; }

    public int WorkspaceId { get; set; }

    public int TypeId { get; set; }

    public required string Name { get; set; }

    public long CreatedMs { get; set; }
}

/// <summary>One object: an account, a booking, a course. Its attributes are a JSON object, as sent.</summary>
public sealed class WorkspaceObject
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    /// <summary>The row id of its <see cref="ObjectType"/>.</summary>
    public int ObjectTypeRowId { get; set; }

    /// <summary>The client's <c>object_id</c>: case-sensitive, unique within its type.</summary>
    public required string ObjectId { get; set; }

    /// <summary>The system's own identifier (<c>cio_object_id</c>): unique in the workspace, never changed.</summary>
    public required string CioObjectId { get; set; }

    /// <summary>A JSON object of the object's attributes.</summary>
    public required string Attributes { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }
}

/// <summary>A person related to an object, with the relationship's own attributes (a JSON object).</summary>
public sealed class Relationship
{
    public long ObjectRowId { get; set; }

    public long PersonId { get; set; }

    public int WorkspaceId { get; set; }

    public required string Attributes { get; set; }

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }
}

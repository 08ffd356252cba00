using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.AppApi;

/// <summary>The App API's reads of objects and relationships: an object's attributes, its people, a person's objects.</summary>
internal static class ObjectEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    public sealed record ObjectIdentifiers(string ObjectTypeId, string ObjectId);

    public sealed record ObjectRelationshipBody(ObjectIdentifiers Identifiers, IReadOnlyDictionary<string, string> RelationshipAttributes);

    public sealed record PersonRelationshipsBody(IReadOnlyList<ObjectRelationshipBody> CioRelationships);

    public sealed record ObjectBody(string ObjectTypeId, string ObjectId, string CioObjectId, IReadOnlyDictionary<string, string> Attributes);

    public sealed record ObjectAttributesBody(ObjectBody Object);

    public sealed record PersonRelationshipBody(AppApi.Identifiers Identifiers, IReadOnlyDictionary<string, string> RelationshipAttributes);

    /// <summary>The people related to an object; <c>next</c>, when present, goes back in <c>start</c> for the next page.</summary>
    public sealed record ObjectRelationshipsBody(IReadOnlyList<PersonRelationshipBody> CioRelationships, string? Next);

    public static RouteGroupBuilder MapObjectEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/customers/{identifier}/relationships", GetPersonRelationshipsAsync).WithName("AppCustomerRelationships");
        v1.MapGet("/objects/{object_type_id}/{object_id}/attributes", GetObjectAsync).WithName("AppObjectAttributes");
        v1.MapGet("/objects/{object_type_id}/{object_id}/relationships", GetObjectRelationshipsAsync).WithName("AppObjectRelationships");
        return v1;
    }

    internal static async Task<Results<Ok<PersonRelationshipsBody>, JsonHttpResult<AppErrorBody>>> GetPersonRelationshipsAsync(
        ApiWorkspace workspace, PathText identifier, ObjectDirectory objects, string? id_type, CancellationToken cancellationToken)
    {
        if (AppApi.Reference(workspace, identifier, id_type, out var reference) is { } problem)
        {
            return AppApi.Error(problem);
        }

        var relationships = await objects.PersonRelationshipsAsync(workspace.Id, reference, cancellationToken);
        return relationships is null
            ? AppApi.NotFound(reference)
            : TypedResults.Ok(new PersonRelationshipsBody([.. relationships.Select(r => new ObjectRelationshipBody(
                new ObjectIdentifiers(Text(r.ObjectTypeId), r.ObjectId), ObjectAttributes.AsText(r.Attributes)))]));
    }

    internal static async Task<Results<Ok<ObjectAttributesBody>, JsonHttpResult<AppErrorBody>>> GetObjectAsync(
        ApiWorkspace workspace, PathText object_type_id, PathText object_id, ObjectDirectory objects, CancellationToken cancellationToken)
    {
        if (ObjectPath(object_type_id, object_id, out var typeId, out var objectId) is { } problem)
        {
            return AppApi.Error(problem);
        }

        var found = await objects.GetObjectAsync(workspace.Id, typeId, objectId, cancellationToken);
        return found is null
            ? NoObject(typeId, objectId)
            : TypedResults.Ok(new ObjectAttributesBody(new ObjectBody(Text(found.ObjectTypeId), found.ObjectId, found.CioObjectId, ObjectAttributes.AsText(found.Attributes))));
    }

    internal static async Task<Results<Ok<ObjectRelationshipsBody>, JsonHttpResult<AppErrorBody>>> GetObjectRelationshipsAsync(
        ApiWorkspace workspace,
        PathText object_type_id,
        PathText object_id,
        ObjectDirectory objects,
        string? limit,
        string? start,
        CancellationToken cancellationToken)
    {
        if (ObjectPath(object_type_id, object_id, out var typeId, out var objectId) is { } problem)
        {
            return AppApi.Error(problem);
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > MaxLimit))
        {
            return AppApi.Error(ApiProblem.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}; it was '{limit}'."));
        }

        var after = 0L;
        if (!string.IsNullOrEmpty(start) && (!long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            return AppApi.Error(ApiProblem.Invalid("start", $"start must be the next value of an earlier answer; it was '{start}'."));
        }

        var people = await objects.RelatedPeopleAsync(workspace.Id, typeId, objectId, after, take, cancellationToken);
        if (people is null)
        {
            return NoObject(typeId, objectId);
        }

        var next = people.Count == take ? Text(people[^1].RowId) : null;
        return TypedResults.Ok(new ObjectRelationshipsBody(
            [.. people.Select(p => new PersonRelationshipBody(new AppApi.Identifiers(p.Email, p.Id, p.CioId), ObjectAttributes.AsText(p.Attributes)))], next));
    }

    /// <summary>The path's object type id (a whole number) and object id.</summary>
    private static ApiProblem? ObjectPath(PathText typePath, PathText objectPath, out int typeId, out string objectId)
    {
        var typeText = typePath.Value;
        objectId = objectPath.Value;
        return ObjectValidator.TryTypeId(typeText, out typeId)
            ? null
            : ApiProblem.Invalid("object_type_id", $"object_type_id must be an object type's id, a whole number like 1; it was '{typeText}'.");
    }

    private static JsonHttpResult<AppErrorBody> NoObject(int typeId, string objectId) =>
        AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "object_id", $"No object of type {typeId} in this workspace has object_id '{objectId}'."));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

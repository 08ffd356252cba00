using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Objects;

public sealed record ObjectTypeSummary(int ObjectTypeId, string Name, int Objects);

public sealed record ObjectSummary(string ObjectId, string CioObjectId, int Attributes, int People, DateTimeOffset Updated);

public sealed record ObjectPage(IReadOnlyList<ObjectSummary> Items, int Total);

public sealed record ObjectDetails(
    int ObjectTypeId,
    string TypeName,
    string ObjectId,
    string CioObjectId,
    IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes,
    DateTimeOffset Created,
    DateTimeOffset Updated);

/// <summary>A person related to an object, with the relationship's attributes.</summary>
public sealed record RelatedPerson(long RowId, string CioId, string? Id, string? Email, IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes);

/// <summary>An object a person is related to, with the relationship's attributes.</summary>
public sealed record PersonRelationship(
    int ObjectTypeId, string TypeName, string ObjectId, string CioObjectId, IReadOnlyList<KeyValuePair<string, AttributeValue>> Attributes);

/// <summary>Reads of object types, objects and relationships, each on a context of its own; writes go through <see cref="PeopleService"/>.</summary>
public sealed class ObjectDirectory(IDbContextFactory<PeopleAdminDbContext> factory)
{
    /// <summary>The workspace's object types by id; with <paramref name="counts"/>, how many objects each holds (a count per type).</summary>
    public async Task<IReadOnlyList<ObjectTypeSummary>> ListTypesAsync(int workspaceId, CancellationToken ct, bool counts = true)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Set<ObjectType>().AsNoTracking()
            .Where(t => t.WorkspaceId == workspaceId)
            .OrderBy(t => t.TypeId)
            .Select(t => new ObjectTypeSummary(t.TypeId, t.Name, counts ? db.Set<WorkspaceObject>().Count(o => o.WorkspaceId == t.WorkspaceId && o.ObjectTypeRowId == t.Id) : 0))
            .ToListAsync(ct);
    }

    /// <summary>
    /// One page of a type's objects by object id. <paramref name="search"/> matches the start of an object id, or a
    /// cio_object_id exactly. Null when the type does not exist.
    /// </summary>
    public async Task<ObjectPage?> PageObjectsAsync(int workspaceId, int objectTypeId, string? search, int skip, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var type = await FindTypeAsync(db, workspaceId, objectTypeId, ct);
        if (type is null)
        {
            return null;
        }

        var objects = db.Set<WorkspaceObject>().AsNoTracking().Where(o => o.WorkspaceId == workspaceId && o.ObjectTypeRowId == type.Id);
        if (search?.Trim() is { Length: > 0 } term)
        {
            objects = objects.Where(o => o.ObjectId.StartsWith(term) || o.CioObjectId == term);
        }

        var total = await objects.CountAsync(ct);
        var rows = await objects.OrderBy(o => o.ObjectId).Skip(skip).Take(take)
            .Select(o => new { o.ObjectId, o.CioObjectId, o.Attributes, o.UpdatedMs, People = db.Set<Relationship>().Count(r => r.WorkspaceId == o.WorkspaceId && r.ObjectRowId == o.Id) })
            .ToListAsync(ct);
        return new ObjectPage(
            [.. rows.Select(r => new ObjectSummary(r.ObjectId, r.CioObjectId, ObjectAttributes.Read(r.Attributes).Count, r.People, Time(r.UpdatedMs)))],
            total);
    }

    public async Task<ObjectDetails?> GetObjectAsync(int workspaceId, int objectTypeId, string objectId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var type = await FindTypeAsync(db, workspaceId, objectTypeId, ct);
        var found = type is null ? null : await FindObjectAsync(db, workspaceId, type.Id, objectId, ct);
        return found is null
            ? null
            : new ObjectDetails(type!.TypeId, type.Name, found.ObjectId, found.CioObjectId, ObjectAttributes.Read(found.Attributes), Time(found.CreatedMs), Time(found.UpdatedMs));
    }

    /// <summary>
    /// The people related to an object, by their row id after <paramref name="after"/> (a keyset), at most
    /// <paramref name="take"/>; null when the type or object does not exist.
    /// </summary>
    public async Task<IReadOnlyList<RelatedPerson>?> RelatedPeopleAsync(int workspaceId, int objectTypeId, string objectId, long after, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var type = await FindTypeAsync(db, workspaceId, objectTypeId, ct);
        var found = type is null ? null : await FindObjectAsync(db, workspaceId, type.Id, objectId, ct);
        if (found is null)
        {
            return null;
        }

        var rows = await db.Set<Relationship>().AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.ObjectRowId == found.Id && r.PersonId > after)
            .OrderBy(r => r.PersonId)
            .Take(take)
            .Join(db.People, r => new { r.WorkspaceId, Id = r.PersonId }, p => new { p.WorkspaceId, p.Id }, (r, p) => new { p.Id, p.CioId, p.ExternalId, p.Email, r.Attributes })
            .ToListAsync(ct);
        return [.. rows.Select(r => new RelatedPerson(r.Id, r.CioId, r.ExternalId, r.Email, ObjectAttributes.Read(r.Attributes)))];
    }

    /// <summary>The objects a person is related to, by type and object id; null when nobody holds the reference.</summary>
    public async Task<IReadOnlyList<PersonRelationship>?> PersonRelationshipsAsync(int workspaceId, PersonReference reference, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var person = await PeopleService.FindAsync(db, workspaceId, reference, ct);
        if (person is null)
        {
            return null;
        }

        var rows = await db.Set<Relationship>().AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.PersonId == person.Id)
            .Join(db.Set<WorkspaceObject>(), r => new { r.WorkspaceId, Id = r.ObjectRowId }, o => new { o.WorkspaceId, o.Id },
                (r, o) => new { r.Attributes, o.WorkspaceId, o.ObjectId, o.CioObjectId, o.ObjectTypeRowId })
            .Join(db.Set<ObjectType>(), x => new { x.WorkspaceId, Id = x.ObjectTypeRowId }, t => new { t.WorkspaceId, t.Id },
                (x, t) => new { x.Attributes, x.ObjectId, x.CioObjectId, t.TypeId, t.Name })
            .OrderBy(x => x.TypeId).ThenBy(x => x.ObjectId)
            .ToListAsync(ct);
        return [.. rows.Select(r => new PersonRelationship(r.TypeId, r.Name, r.ObjectId, r.CioObjectId, ObjectAttributes.Read(r.Attributes)))];
    }

    private static Task<ObjectType?> FindTypeAsync(PeopleAdminDbContext db, int workspaceId, int objectTypeId, CancellationToken ct) =>
        db.Set<ObjectType>().AsNoTracking().FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.TypeId == objectTypeId, ct);

    private static Task<WorkspaceObject?> FindObjectAsync(PeopleAdminDbContext db, int workspaceId, int typeRowId, string objectId, CancellationToken ct) =>
        db.Set<WorkspaceObject>().AsNoTracking().FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.ObjectTypeRowId == typeRowId && o.ObjectId == objectId, ct);

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

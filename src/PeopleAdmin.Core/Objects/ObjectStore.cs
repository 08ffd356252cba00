using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Objects;

/// <summary>
/// How the object rules read and write object types, objects and relationships on the writer's transaction. Every
/// write hands the operation over to EF Core's change tracker first, as the people store does for non-everyday work.
/// </summary>
internal sealed class ObjectStore(WriteSession session)
{
    private DbSet<ObjectType> Types => session.Db.Set<ObjectType>();

    private DbSet<WorkspaceObject> Objects => session.Db.Set<WorkspaceObject>();

    private DbSet<Relationship> Relationships => session.Db.Set<Relationship>();

    public Task<ObjectType?> FindTypeAsync(int workspaceId, int typeId, CancellationToken ct) =>
        Types.FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.TypeId == typeId, ct);

    public Task<bool> TypeNameTakenAsync(int workspaceId, string name, int exceptRowId, CancellationToken ct) =>
        Types.AnyAsync(t => t.WorkspaceId == workspaceId && t.Name == name && t.Id != exceptRowId, ct);

    /// <summary>The next <c>object_type_id</c>: counted in the writer's transaction, kept unique by an index.</summary>
    public async Task<int> NextTypeIdAsync(int workspaceId, CancellationToken ct) =>
        (await Types.Where(t => t.WorkspaceId == workspaceId).MaxAsync(t => (int?)t.TypeId, ct) ?? 0) + 1;

    public void AddType(ObjectType type)
    {
        session.Everyday.UseChangeTracker();
        Types.Add(type);
    }

    public Task<WorkspaceObject?> FindObjectAsync(int workspaceId, int typeRowId, string objectId, CancellationToken ct) =>
        Objects.FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.ObjectTypeRowId == typeRowId && o.ObjectId == objectId, ct);

    public Task<WorkspaceObject?> FindObjectByCioObjectIdAsync(int workspaceId, string cioObjectId, CancellationToken ct) =>
        Objects.FirstOrDefaultAsync(o => o.WorkspaceId == workspaceId && o.CioObjectId == cioObjectId, ct);

    public Task<ObjectType?> FindTypeOfAsync(WorkspaceObject found, CancellationToken ct) =>
        Types.FirstOrDefaultAsync(t => t.WorkspaceId == found.WorkspaceId && t.Id == found.ObjectTypeRowId, ct);

    public Task<List<WorkspaceObject>> FindObjectsAsync(int workspaceId, IReadOnlyCollection<long> rowIds, CancellationToken ct) =>
        Objects.Where(o => o.WorkspaceId == workspaceId && rowIds.Contains(o.Id)).ToListAsync(ct);

    public async Task<WorkspaceObject> AddObjectAsync(WorkspaceObject added, CancellationToken ct)
    {
        session.Everyday.UseChangeTracker();
        Objects.Add(added);
        await session.SaveAsync(ct);
        return added;
    }

    /// <summary>Deletes an object; its relationships go with it (a cascade).</summary>
    public async Task DeleteObjectAsync(WorkspaceObject deleted, CancellationToken ct)
    {
        session.Everyday.UseChangeTracker();
        Objects.Remove(deleted);
        await session.SaveAsync(ct);
    }

    public Task<Relationship?> FindRelationshipAsync(WorkspaceObject target, Person person, CancellationToken ct) =>
        Relationships.FirstOrDefaultAsync(r => r.WorkspaceId == person.WorkspaceId && r.ObjectRowId == target.Id && r.PersonId == person.Id, ct);

    public Task<List<Relationship>> RelationshipsOfAsync(Person person, CancellationToken ct) =>
        Relationships.Where(r => r.WorkspaceId == person.WorkspaceId && r.PersonId == person.Id).ToListAsync(ct);

    public void AddRelationship(Relationship relationship)
    {
        session.Everyday.UseChangeTracker();
        Relationships.Add(relationship);
    }

    public void RemoveRelationship(Relationship relationship)
    {
        session.Everyday.UseChangeTracker();
        Relationships.Remove(relationship);
    }

    /// <summary>Marks a tracked object or relationship as changed by the operation.</summary>
    public void Changed() => session.Everyday.UseChangeTracker();
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Objects;

/// <summary>Object types and objects: create, rename, identify, delete, and an object's relationships to people.</summary>
internal static class ObjectRules
{
    public const string IgnoredNoObject = "the object does not exist";
    public const string IgnoredUnknownCioObjectId = "unknown cio_object_id";

    public static async Task<OperationResult> ApplyAsync(CreateObjectTypeOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspaceId = start.Workspace!.Id;
        var store = new ObjectStore(session);
        var name = operation.Name.Trim();
        if (await store.TypeNameTakenAsync(workspaceId, name, 0, ct))
        {
            return NameTaken(name);
        }

        var type = new ObjectType { WorkspaceId = workspaceId, TypeId = await store.NextTypeIdAsync(workspaceId, ct), Name = name, CreatedMs = session.NowMs };
        store.AddType(type);
        return new OperationResult(OperationStatus.Applied) { RecordId = type.TypeId };
    }

    public static async Task<OperationResult> ApplyAsync(RenameObjectTypeOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspaceId = start.Workspace!.Id;
        var store = new ObjectStore(session);
        var type = await store.FindTypeAsync(workspaceId, operation.ObjectTypeId, ct);
        if (type is null)
        {
            return OperationResult.Rejected(ErrorKind.NotFound, "object_type_id", $"object type {operation.ObjectTypeId} does not exist in this workspace");
        }

        var name = operation.Name.Trim();
        if (await store.TypeNameTakenAsync(workspaceId, name, type.Id, ct))
        {
            return NameTaken(name);
        }

        store.Changed();
        type.Name = name;
        return new OperationResult(OperationStatus.Applied) { RecordId = type.TypeId };
    }

    public static async Task<OperationResult> ApplyAsync(IdentifyObjectOperation operation, WriteSession session, CancellationToken ct)
    {
        var (store, found, type, stop) = await OpenAsync(operation, operation.Object, session, ct);
        if (stop is not null)
        {
            return stop;
        }

        var created = found is null;
        var target = found ?? new WorkspaceObject
        {
            WorkspaceId = type!.WorkspaceId,
            ObjectTypeRowId = type.Id,
            ObjectId = operation.Object.ObjectId!,
            CioObjectId = NewCioObjectId(),
            Attributes = ObjectAttributes.Empty,
            CreatedMs = session.NowMs,
            UpdatedMs = session.NowMs,
        };
        if (ObjectAttributes.Merge(target.Attributes, operation.Attributes, "attributes", out var merged) is { } tooMuch)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = tooMuch };
        }

        if (created)
        {
            target.Attributes = merged;
            await store.AddObjectAsync(target, ct);
        }
        else if (merged != target.Attributes)
        {
            store.Changed();
            target.Attributes = merged;
            target.UpdatedMs = session.NowMs;
        }

        var related = await RelatePeopleAsync(store, session, target, type!, RelationshipAction.Add, operation.People ?? [], ct);
        return related.Status == OperationStatus.Rejected ? related : related with { Created = created };
    }

    public static async Task<OperationResult> ApplyAsync(DeleteObjectOperation operation, WriteSession session, CancellationToken ct)
    {
        var (store, found, _, stop) = await OpenAsync(operation, operation.Object, session, ct);
        if (stop is not null || found is null)
        {
            return stop ?? IgnoreObject(session, IgnoredNoObject, operation.Object);
        }

        await store.DeleteObjectAsync(found, ct);
        return new OperationResult(OperationStatus.Applied) { RecordId = found.Id };
    }

    public static async Task<OperationResult> ApplyAsync(RelateObjectOperation operation, WriteSession session, CancellationToken ct)
    {
        var (store, found, type, stop) = await OpenAsync(operation, operation.Object, session, ct);
        if (stop is not null || found is null)
        {
            return stop ?? IgnoreObject(session, IgnoredNoObject, operation.Object);
        }

        return await RelatePeopleAsync(store, session, found, type!, operation.Action, operation.People, ct);
    }

    /// <summary>The opening of the operations on one object: the shared checks, then the object and its type.</summary>
    private static async Task<(ObjectStore Store, WorkspaceObject? Found, ObjectType? Type, OperationResult? Stop)> OpenAsync(
        PeopleOperation operation, ObjectReference reference, WriteSession session, CancellationToken ct)
    {
        var store = new ObjectStore(session);
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return (store, null, null, stop);
        }

        var (found, type, missing) = await ResolveAsync(store, session, start.Workspace!.Id, reference, ct);
        return (store, found, type, missing);
    }

    /// <summary>
    /// Finds the object a reference names, with its type. A type that does not exist is refused (a type must be created
    /// before the Track API may use it); an unknown cio_object_id is ignored; an unknown object id answers no object.
    /// </summary>
    private static async Task<(WorkspaceObject? Found, ObjectType? Type, OperationResult? Stop)> ResolveAsync(
        ObjectStore store, WriteSession session, int workspaceId, ObjectReference reference, CancellationToken ct)
    {
        if (reference.CioObjectId is { } cioObjectId)
        {
            var byCio = await store.FindObjectByCioObjectIdAsync(workspaceId, cioObjectId, ct);
            return byCio is null
                ? (null, null, IgnoreObject(session, IgnoredUnknownCioObjectId, reference))
                : (byCio, await store.FindTypeOfAsync(byCio, ct), null);
        }

        ObjectValidator.TryTypeId(reference.ObjectTypeId, out var typeId);
        var type = await store.FindTypeAsync(workspaceId, typeId, ct);
        if (type is null)
        {
            return (null, null, UnknownType("identifiers.object_type_id", reference.ObjectTypeId!));
        }

        return (await store.FindObjectAsync(workspaceId, type.Id, reference.ObjectId!, ct), type, null);
    }

    internal static OperationResult UnknownType(string field, string typeId) => OperationResult.Rejected(
        ErrorKind.Invalid, field, $"object type \"{typeId}\" does not exist in this workspace; create it first (Settings > Object types, or POST /api/admin/v1/workspaces/{{id}}/object-types)");

    private static async Task<OperationResult> RelatePeopleAsync(
        ObjectStore store, WriteSession session, WorkspaceObject target, ObjectType type, RelationshipAction action, IReadOnlyList<RelatedPersonInput> people, CancellationToken ct)
    {
        var workspace = (await session.FindWorkspaceAsync(ct))!;
        var notFound = new List<string>();
        for (var i = 0; i < people.Count; i++)
        {
            var person = await session.Store.FindAsync(workspace.Id, workspace.Settings.Identifiers, people[i].Person, ct);
            if (person is null)
            {
                notFound.Add(people[i].Person.ToString());
                session.Log(ActivityTypes.RequestIgnored, null, new JsonObject
                {
                    ["reason"] = "a relationship names a person who does not exist",
                    ["identifier"] = people[i].Person.ToString(),
                    ["object_type_id"] = Text(type.TypeId),
                    ["object_id"] = target.ObjectId,
                }.ToJsonString());
                continue;
            }

            var field = $"cio_relationships[{i}].relationship_attributes";
            if (await RelationshipRules.ChangeAsync(store, session, target, type, person, action, people[i].Attributes, field, ct) is { } error)
            {
                return new OperationResult(OperationStatus.Rejected) { Error = error };
            }
        }

        return new OperationResult(OperationStatus.Applied) { RecordId = target.Id, NotFound = notFound };
    }

    private static OperationResult IgnoreObject(WriteSession session, string reason, ObjectReference reference)
    {
        session.Log(ActivityTypes.RequestIgnored, null, new JsonObject { ["reason"] = reason, ["object"] = reference.ToString() }.ToJsonString());
        return OperationResult.Ignored(reason);
    }

    private static OperationResult NameTaken(string name) =>
        OperationResult.Rejected(ErrorKind.Conflict, "name", $"an object type named \"{name}\" already exists");

    /// <summary>Like Customer.io's (<c>ob</c> and hex); random, so that two instances never hand out the same one, and an index keeps it unique.</summary>
    private static string NewCioObjectId() => "ob" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    internal static string Text(int typeId) => typeId.ToString(CultureInfo.InvariantCulture);
}

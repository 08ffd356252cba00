using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.Objects;

/// <summary>What a relationship form chose: the person (when it asked), the object (when it asked) and the attributes to set or remove.</summary>
public sealed record RelationshipChoice(PersonReference? Person, int TypeId, string? ObjectId, IReadOnlyDictionary<string, AttributeValue> Attributes);

/// <summary>
/// What the Objects pages, the person profile's Relationships tab and the Settings page's object types read and
/// change, on the current workspace; writes go through the identity service with source <c>ui</c>, after the role
/// check here on the server.
/// </summary>
public sealed class ObjectsConsole(PeopleService people, ObjectDirectory objects, CurrentWorkspace current, OperatorAccess access)
{
    /// <summary>Raised after a type is created or renamed on this circuit, so that the menu lists it at once.</summary>
    public event Action? TypesChanged;

    public Task<bool> CanEditAsync() => access.AllowsAsync(Policies.CanEditPeople);

    public Task<bool> CanManageTypesAsync() => access.AllowsAsync(Policies.CanManageSettings);

    public async Task<IReadOnlyList<ObjectTypeSummary>> TypesAsync(CancellationToken ct = default) =>
        await objects.ListTypesAsync((await current.GetAsync(ct)).Id, ct);

    /// <summary>The types without their object counts, for the menu, which reads them on every navigation.</summary>
    public async Task<IReadOnlyList<ObjectTypeSummary>> TypeNamesAsync(CancellationToken ct = default) =>
        await objects.ListTypesAsync((await current.GetAsync(ct)).Id, ct, counts: false);

    public async Task<ObjectPage?> PageAsync(int typeId, string? search, int skip, int take, CancellationToken ct = default) =>
        await objects.PageObjectsAsync((await current.GetAsync(ct)).Id, typeId, search, skip, take, ct);

    public async Task<ObjectDetails?> GetAsync(int typeId, string objectId, CancellationToken ct = default) =>
        await objects.GetObjectAsync((await current.GetAsync(ct)).Id, typeId, objectId, ct);

    public async Task<IReadOnlyList<RelatedPerson>> PeopleAsync(int typeId, string objectId, long after, int take, CancellationToken ct = default) =>
        await objects.RelatedPeopleAsync((await current.GetAsync(ct)).Id, typeId, objectId, after, take, ct) ?? [];

    public async Task<IReadOnlyList<PersonRelationship>> RelationshipsAsync(string cioId, CancellationToken ct = default) =>
        await objects.PersonRelationshipsAsync((await current.GetAsync(ct)).Id, PersonReference.ForCioId(cioId), ct) ?? [];

    public async Task<OperationResult> CreateTypeAsync(string name, CancellationToken ct = default)
    {
        var result = await ManageAsync(new CreateObjectTypeOperation(name), ct);
        if (result.Status == OperationStatus.Applied)
        {
            await access.RecordAsync(AuditActions.ObjectTypeCreated, $"workspace {(await current.GetAsync(ct)).Id}: object type {result.RecordId} \"{name.Trim()}\"", ct);
            TypesChanged?.Invoke();
        }

        return result;
    }

    public async Task<OperationResult> RenameTypeAsync(int typeId, string name, CancellationToken ct = default)
    {
        var result = await ManageAsync(new RenameObjectTypeOperation(typeId, name), ct);
        if (result.Status == OperationStatus.Applied)
        {
            await access.RecordAsync(AuditActions.ObjectTypeRenamed, $"workspace {(await current.GetAsync(ct)).Id}: object type {typeId} to \"{name.Trim()}\"", ct);
            TypesChanged?.Invoke();
        }

        return result;
    }

    /// <summary>Creates an object (or sets attributes of the one with that id).</summary>
    public Task<OperationResult> SaveObjectAsync(int typeId, string objectId, IReadOnlyDictionary<string, AttributeValue> attributes, CancellationToken ct = default) =>
        EditAsync(new IdentifyObjectOperation(ObjectReference.For(Text(typeId), objectId), attributes), ct);

    public Task<OperationResult> DeleteObjectAsync(int typeId, string objectId, CancellationToken ct = default) =>
        EditAsync(new DeleteObjectOperation(ObjectReference.For(Text(typeId), objectId)), ct);

    /// <summary>Relates a person to an object, or changes the relationship's attributes (a removal as <see cref="AttributeValue.Remove"/>).</summary>
    public Task<OperationResult> RelateAsync(PersonReference person, int typeId, string objectId, IReadOnlyDictionary<string, AttributeValue> attributes, CancellationToken ct = default) =>
        EditAsync(new RelatePersonOperation(person, RelationshipAction.Add, [new RelationshipInput(Text(typeId), objectId, attributes)]), ct);

    public Task<OperationResult> UnrelateAsync(PersonReference person, int typeId, string objectId, CancellationToken ct = default) =>
        EditAsync(new RelatePersonOperation(person, RelationshipAction.Delete, [new RelationshipInput(Text(typeId), objectId, new Dictionary<string, AttributeValue>())]), ct);

    /// <summary>A person as an operator types them: a cio_id, else (as the workspace's mode reads it) an email or an id.</summary>
    public async Task<PersonReference> ClassifyAsync(string identifier, CancellationToken ct = default)
    {
        var settings = await people.GetSettingsAsync((await current.GetAsync(ct)).Id, ct);
        return PersonReference.Classify(identifier, settings?.Identifiers ?? Core.Workspaces.IdentifierMode.EmailOrId);
    }

    private async Task<OperationResult> ManageAsync(PeopleOperation operation, CancellationToken ct) =>
        await CanManageTypesAsync()
            ? await ExecuteAsync(operation, ct)
            : OperationResult.Rejected(ErrorKind.Invalid, "operator", "Only Admins and the Owner create and rename object types.");

    private async Task<OperationResult> EditAsync(PeopleOperation operation, CancellationToken ct) =>
        await CanEditAsync()
            ? await ExecuteAsync(operation, ct)
            : OperationResult.Rejected(ErrorKind.Invalid, "operator", "Viewers cannot change objects or relationships: ask an Editor, an Admin or the Owner.");

    private async Task<OperationResult> ExecuteAsync(PeopleOperation operation, CancellationToken ct)
    {
        var context = new OperationContext((await current.GetAsync(ct)).Id, Sources.Ui, await access.ActorAsync());
        return await people.ExecuteAsync(context, operation, ct);
    }

    private static string Text(int typeId) => typeId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

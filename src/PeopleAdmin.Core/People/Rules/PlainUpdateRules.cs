using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// Rule 2's update when nothing else of the rules applies: one person holds the request's identifier, its other
/// identifiers are theirs already, nothing is suppressed or blocked, no cio_id, <c>_update</c>, anonymous_id,
/// relationships or (in <c>id_only</c>) email, and the person stays within the attribute limit. Such an update is decided
/// by the rules' own <see cref="PersonEditor"/> (rule 4, <c>_timestamp</c>, the same entries with from and to) and
/// written through the store's bulk update, without the rules' lookups, a savepoint or a change tracker. The bulk import
/// takes this path; every other update goes through <see cref="IdentifyRules"/>.
/// </summary>
internal static class PlainUpdateRules
{
    /// <summary>The person the item plainly updates; null when the item needs the rules.</summary>
    public static PersonForUpdate? Target(IdentifyOperation item, IdentifyBody body, Workspace workspace, IBulkCreate bulk, bool anySuppressions)
    {
        var mode = workspace.Settings.Identifiers;
        if (!PlainCreateRules.IsPlain(item, body, mode) || (body.HasEmail && mode != IdentifierMode.EmailOrId))
        {
            return null;
        }

        var reference = item.Reference;
        var path = PersonReference.KindOf(reference.Kind);
        var key = path == IdentifierKind.Id ? reference.Value : Person.NormalizeEmail(reference.Value);
        if (bulk.FindForUpdate(workspace.Id, path, key) is not { } target)
        {
            return null;
        }

        var identifiers = new List<(IdentifierKind Kind, string Value)> { (path, reference.Value) };
        foreach (var (kind, present, value) in new[] { (IdentifierKind.Id, body.HasId, body.Id), (IdentifierKind.Email, body.HasEmail, body.Email) })
        {
            // A body identifier that is not the person's own already would change, clear or fail: the rules decide that.
            if (present)
            {
                if (value is null || PersonEditor.ValueOf(target.Person, kind) is not { } own || !PersonEditor.Same(kind, own, value))
                {
                    return null;
                }

                identifiers.Add((kind, value));
            }
        }

        return PlainCreateRules.Acceptable(identifiers, workspace, bulk, anySuppressions) ? target : null;
    }

    /// <summary>
    /// Applies the item's <c>created_at</c>, <c>unsubscribed</c> and attributes to the person by the rules' own
    /// <see cref="PersonEditor"/>, with its entries; null, with nothing changed, when the person would pass the attribute
    /// limit (the rules refuse that item whole).
    /// </summary>
    public static OperationResult? Update(WriteSession session, Workspace workspace, IdentifyBody body, PersonForUpdate target)
    {
        var (person, attributes) = (target.Person, target.Attributes);
        var editor = new PersonEditor(session, workspace, body.Timestamp);
        if (editor.CustomAttributesAfter(body, attributes) > Limits.CustomAttributes)
        {
            return null;
        }

        var bulk = session.BulkCreate;
        editor.ApplyFields(person, body);
        editor.ApplyAttributes(person, body, attributes, new BulkWrites(bulk));
        if (editor.HasChanges)
        {
            bulk.UpdatePerson(person);
        }

        editor.Log(person, bulk.InsertActivity);
        return editor.Result(person, created: false);
    }

    private sealed class BulkWrites(IBulkCreate bulk) : IAttributeWrites
    {
        public void Set(PersonAttribute attribute, bool added) => bulk.SetAttribute(attribute);

        public void Removed(PersonAttribute attribute) => bulk.RemoveAttribute(attribute);
    }
}

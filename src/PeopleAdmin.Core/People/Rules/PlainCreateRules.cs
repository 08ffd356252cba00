using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// Rule 2's create when nothing else of the rules applies: nobody holds the request's identifiers, nothing is
/// suppressed or blocked, no cio_id, <c>_update</c>, anonymous_id or relationships. Such a person is written through
/// the store's bulk create, with the same rows and entries (and the same setters, <see cref="PersonFields"/>) as the
/// rules, without their lookups or a change tracker. Identify and the bulk import both take this path.
/// </summary>
internal static class PlainCreateRules
{
    /// <summary>The identifiers to create the person with, in the rules' order; null when the item needs the rules.</summary>
    public static List<(IdentifierKind Kind, string Value)>? Identifiers(
        IdentifyOperation item, IdentifyBody body, Workspace workspace, Store.IBulkCreate bulk, bool anySuppressions)
    {
        var mode = workspace.Settings.Identifiers;
        var reference = item.Reference;
        if (!IsPlain(item, body, mode))
        {
            return null;
        }

        var path = PersonReference.KindOf(reference.Kind);
        var identifiers = new List<(IdentifierKind Kind, string Value)> { (path, reference.Value) };
        if (body.HasId && !AddFromBody(identifiers, path, IdentifierKind.Id, body.Id))
        {
            return null;
        }

        if (body.HasEmail && mode == IdentifierMode.EmailOrId && !AddFromBody(identifiers, path, IdentifierKind.Email, body.Email))
        {
            return null;
        }

        if (!Acceptable(identifiers, workspace, bulk, anySuppressions))
        {
            return null;
        }

        var id = identifiers.Find(i => i.Kind == IdentifierKind.Id).Value;
        var email = identifiers.Find(i => i.Kind == IdentifierKind.Email).Value;
        return bulk.IsAnyHeld(workspace.Id, id, email is null ? null : Person.NormalizeEmail(email)) ? null : identifiers;
    }

    /// <summary>
    /// Whether the request is one the bulk path may take at all: referenced by an identifier of the workspace's kinds,
    /// with no cio_id, <c>_update</c>, anonymous_id or relationships, each of which only the rules apply.
    /// </summary>
    internal static bool IsPlain(IdentifyOperation item, IdentifyBody body, IdentifierMode mode) =>
        item.Reference.Kind != ReferenceKind.CioId && (item.Reference.Kind != ReferenceKind.Email || mode == IdentifierMode.EmailOrId)
        && body.CioId is null && !body.Update && body.AnonymousId is null && item.Relationships is not { Count: > 0 };

    /// <summary>Whether every identifier may be written as it is: none blocked, unreadable, an id with the cio_ prefix, or suppressed.</summary>
    internal static bool Acceptable(List<(IdentifierKind Kind, string Value)> identifiers, Workspace workspace, Store.IBulkCreate bulk, bool anySuppressions)
    {
        foreach (var (kind, value) in identifiers)
        {
            if (SeedRules.IsBlocked(workspace.Settings, value)
                || TextRules.IdentifierProblem(value) is not null
                || (kind == IdentifierKind.Id && value.StartsWith(PersonReference.CioPrefix, StringComparison.Ordinal))
                || (anySuppressions && bulk.IsSuppressed(workspace.Id, kind, Suppression.KeyOf(kind, value))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A body identifier joins the new person's; one the rules would fail or drop sends the item to the rules.</summary>
    private static bool AddFromBody(List<(IdentifierKind Kind, string Value)> identifiers, IdentifierKind path, IdentifierKind kind, string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (kind == path)
        {
            return PersonEditor.Same(kind, value, identifiers[0].Value);
        }

        identifiers.Add((kind, value));
        return true;
    }

    /// <summary>Writes the new person of a <see cref="Identifiers"/> item and its entries through the bulk create; its attributes wait for the next flush.</summary>
    public static OperationResult Create(
        WriteSession session, Workspace workspace, IdentifyBody body, List<(IdentifierKind Kind, string Value)> identifiers)
    {
        var nowMs = session.NowMs;
        var writeMs = body.Timestamp is { } seconds ? seconds * 1000 : nowMs;
        var person = Person.New(workspace, nowMs);
        var changes = new EntryData("from", "to", identifiers.Count + body.Attributes.Count + 3);
        foreach (var (kind, value) in identifiers)
        {
            if (kind == IdentifierKind.Id)
            {
                PersonFields.SetId(person, value, writeMs);
            }
            else
            {
                PersonFields.SetEmail(person, value, workspace.Settings, writeMs);
            }

            changes.Set(PersonEditor.Name(kind), null, value);
        }

        if (body.HasEmail && !SeedRules.EmailIsAnIdentifier(workspace.Settings) && body.Email is not null)
        {
            PersonFields.SetEmail(person, body.Email, workspace.Settings, writeMs);
            changes.Set(ReservedKeys.Email, null, body.Email);
        }

        if (body.CreatedAt is { } createdAt && createdAt != person.CreatedAt)
        {
            changes.Set(ReservedKeys.CreatedAt, PersonFields.Text(person.CreatedAt), PersonFields.Text(createdAt));
            PersonFields.SetCreatedAt(person, createdAt, writeMs);
        }

        if (body.Unsubscribed == true)
        {
            changes.Set(ReservedKeys.Unsubscribed, "false", "true");
            PersonFields.SetUnsubscribed(person, true, writeMs);
        }

        var bulk = session.BulkCreate;
        bulk.InsertPerson(person);
        bulk.InsertActivity(session.Entry(ActivityTypes.ProfileCreate, person, null));
        foreach (var (name, value) in body.Attributes)
        {
            if (value.IsRemoval)
            {
                continue;
            }

            bulk.InsertAttribute(new PersonAttribute
            {
                PersonId = person.Id,
                WorkspaceId = person.WorkspaceId,
                Name = name,
                Type = value.Type!.Value,
                TextValue = value.Text!,
                NumberValue = value.Number,
                SetMs = nowMs,
                Timestamp = body.Timestamp,
            });
            changes.Set(name, null, value.Text);
        }

        bulk.InsertActivity(session.Entry(ActivityTypes.AttributeChange, person, changes.ToJsonString()));
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId, Created = true };
    }
}

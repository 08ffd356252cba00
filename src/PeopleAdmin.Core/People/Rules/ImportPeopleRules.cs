using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The bulk path of identify. An item that the identify rules would answer by creating a person from its
/// identifiers and attributes alone (rule 2's "create") is written with prepared statements, with the same rows and
/// entries the rules write; every other item (someone holds an identifier, a suppression, a cio_id, <c>_update</c>,
/// an anonymous_id, a failed identifier) is applied by <see cref="IdentifyRules"/> in its own savepoint, in order.
/// The bulk create may hold rows back: it is flushed before any item that needs the rules, and at the end.
/// </summary>
internal static class ImportPeopleRules
{
    public static async Task<OperationResult> ApplyAsync(ImportPeopleOperation operation, WriteSession session, CancellationToken ct)
    {
        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return IdentifyRules.NoWorkspace(session);
        }

        var bulk = session.BulkCreate;
        // Most workspaces suppress nobody: then one query per chunk replaces one per identifier.
        var anySuppressions = bulk.AnySuppressions(workspace.Id);
        for (var i = 0; i < operation.People.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var item = operation.People[i];
            var (invalid, body) = item.Check();
            if ((invalid ?? body.CheckClock(session.NowMs)) is { } refused)
            {
                operation.Results[i] = new OperationResult(OperationStatus.Rejected) { Error = refused };
                continue;
            }

            if (PlainNewPerson(item, body, workspace, bulk, anySuppressions) is { } identifiers)
            {
                operation.Results[i] = Create(session, workspace, body, identifiers);
                continue;
            }

            bulk.Flush();
            (operation.Results[i], workspace) = await ThroughRulesAsync(item, session, workspace, ct);
            anySuppressions = bulk.AnySuppressions(workspace.Id);
        }

        bulk.Flush();
        return new OperationResult(OperationStatus.Applied);
    }

    /// <summary>The identifiers to create the person with, in the rules' order; null when the item needs the rules.</summary>
    internal static List<(IdentifierKind Kind, string Value)>? PlainNewPerson(
        IdentifyOperation item, IdentifyBody body, Workspace workspace, Store.IBulkCreate bulk, bool anySuppressions)
    {
        var mode = workspace.Settings.Identifiers;
        var reference = item.Reference;
        if (reference.Kind == ReferenceKind.CioId || (reference.Kind == ReferenceKind.Email && mode != IdentifierMode.EmailOrId)
            || body.CioId is not null || body.Update || body.AnonymousId is not null || item.Relationships is { Count: > 0 })
        {
            return null;
        }

        var path = IdentifyRules.KindOf(reference.Kind);
        var identifiers = new List<(IdentifierKind Kind, string Value)> { (path, reference.Value) };
        if (body.HasId && !AddFromBody(identifiers, path, IdentifierKind.Id, body.Id))
        {
            return null;
        }

        if (body.HasEmail && mode == IdentifierMode.EmailOrId && !AddFromBody(identifiers, path, IdentifierKind.Email, body.Email))
        {
            return null;
        }

        foreach (var (kind, value) in identifiers)
        {
            var key = Store.PeopleStore.SuppressionKey(kind, value);
            if (IdentifyRules.IsBlocked(workspace, value)
                || TextRules.IdentifierProblem(value) is not null
                || (kind == IdentifierKind.Id && value.StartsWith(PersonReference.CioPrefix, StringComparison.Ordinal))
                || (anySuppressions && bulk.IsSuppressed(workspace.Id, kind, key))
                || (kind == IdentifierKind.Id ? bulk.IsIdHeld(workspace.Id, value) : bulk.IsEmailHeld(workspace.Id, key)))
            {
                return null;
            }
        }

        return identifiers;
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

    /// <summary>Writes the new person of a <see cref="PlainNewPerson"/> item and its entries through the bulk create; its attributes wait for the next flush.</summary>
    internal static OperationResult Create(
        WriteSession session, Workspace workspace, IdentifyBody body, List<(IdentifierKind Kind, string Value)> identifiers)
    {
        var nowMs = session.NowMs;
        var writeMs = body.Timestamp is { } seconds ? seconds * 1000 : nowMs;
        var person = new Person
        {
            WorkspaceId = workspace.Id,
            CioId = Store.PeopleStore.FormatCioId(workspace.NextCioNumber++),
            FirstSeenMs = nowMs,
            CreatedAt = nowMs / 1000,
            UpdatedMs = nowMs,
        };
        var changes = new JsonObject();
        foreach (var (kind, value) in identifiers)
        {
            if (kind == IdentifierKind.Id)
            {
                person.ExternalId = value;
                person.ExternalIdChangedMs = writeMs;
            }
            else
            {
                person.Email = value;
                person.EmailNormalized = Store.PeopleStore.NormalizeEmail(value);
                person.EmailUniqueKey = person.EmailNormalized;
                person.EmailChangedMs = writeMs;
            }

            changes[PersonEditor.Name(kind)] = new JsonObject { ["from"] = null, ["to"] = value };
        }

        if (body.HasEmail && workspace.Settings.Identifiers == IdentifierMode.IdOnly && body.Email is not null)
        {
            person.Email = body.Email;
            person.EmailNormalized = Store.PeopleStore.NormalizeEmail(body.Email);
            person.EmailChangedMs = writeMs;
            changes[ReservedKeys.Email] = new JsonObject { ["from"] = null, ["to"] = body.Email };
        }

        if (body.CreatedAt is { } createdAt && createdAt != person.CreatedAt)
        {
            changes[ReservedKeys.CreatedAt] = new JsonObject { ["from"] = Store.PeopleStore.Invariant(person.CreatedAt), ["to"] = Store.PeopleStore.Invariant(createdAt) };
            person.CreatedAt = createdAt;
            person.CreatedAtChangedMs = writeMs;
        }

        if (body.Unsubscribed == true)
        {
            changes[ReservedKeys.Unsubscribed] = new JsonObject { ["from"] = "false", ["to"] = "true" };
            person.Unsubscribed = true;
            person.UnsubscribedChangedMs = writeMs;
        }

        var bulk = session.BulkCreate;
        bulk.InsertPerson(person);
        bulk.InsertActivity(Entry(session, person, ActivityTypes.ProfileCreate, null));
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
            changes[name] = new JsonObject { ["from"] = null, ["to"] = value.Text };
        }

        bulk.InsertActivity(Entry(session, person, ActivityTypes.AttributeChange, changes.ToJsonString()));
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId, Created = true };
    }

    private static Activity Entry(WriteSession session, Person person, string type, string? data) => new()
    {
        WorkspaceId = person.WorkspaceId,
        PersonId = person.Id,
        CioId = person.CioId,
        Type = type,
        Source = session.Context.Source,
        AtMs = session.NowMs,
        Data = data,
    };

    /// <summary>Applies one item by its rules (identify's, or an imported event's) in a savepoint of its own, so that a rejection leaves the chunk's other items.</summary>
    internal static async Task<(OperationResult, Workspace)> ThroughRulesAsync(PeopleOperation item, WriteSession session, Workspace workspace, CancellationToken ct)
    {
        // The counter of the people inserted so far must be in the database before a savepoint can roll back past it.
        await session.SaveAsync(ct);
        const string savepoint = "import_item";
        session.Connection.Savepoint(savepoint);
        var result = await item.ApplyAsync(session, ct);
        if (result.Status == OperationStatus.Rejected)
        {
            session.Connection.RollbackToSavepoint(savepoint);
            session.Reset();
            return (result, (await session.FindWorkspaceAsync(ct))!);
        }

        await session.SaveAsync(ct);
        session.Connection.ReleaseSavepoint(savepoint);

        // The item is done: what it tracked is forgotten, or every later save of the chunk would look at it again.
        session.Saved();
        return (result, workspace);
    }
}

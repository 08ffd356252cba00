using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The bulk path of identify. An item that the identify rules would answer by creating a person from its
/// identifiers and attributes alone (rule 2's "create") is written by <see cref="PlainCreateRules"/>, one that they would
/// answer by updating the one person who holds its identifier, changing no identifier, by <see cref="PlainUpdateRules"/>,
/// both with the same rows and entries the rules write; every other item (someone holds an identifier, a suppression, a cio_id, <c>_update</c>,
/// an anonymous_id, a failed identifier) is applied by <see cref="IdentifyRules"/> in its own savepoint, in order.
/// The bulk create and update may hold rows back: they are flushed before any item that needs the rules, and at the end.
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
        Probe(operation, workspace, bulk);
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

            if (PlainCreateRules.Identifiers(item, body, workspace, bulk, anySuppressions) is { } identifiers)
            {
                operation.Results[i] = PlainCreateRules.Create(session, workspace, body, identifiers);
                continue;
            }

            if (PlainUpdateRules.Target(item, body, workspace, bulk, anySuppressions) is { } target
                && PlainUpdateRules.Update(session, workspace, body, target) is { } updated)
            {
                operation.Results[i] = updated;
                continue;
            }

            bulk.Flush();
            (operation.Results[i], workspace) = await ThroughRulesAsync(item, session, workspace, ct);
            anySuppressions = bulk.AnySuppressions(workspace.Id);
        }

        bulk.Flush();
        return new OperationResult(OperationStatus.Applied);
    }

    /// <summary>Every id and email the chunk names, for the bulk create to ask about at once rather than item by item.</summary>
    private static void Probe(ImportPeopleOperation operation, Workspace workspace, Store.IBulkCreate bulk)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var emails = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in operation.People)
        {
            var (invalid, body) = item.Check();
            if (invalid is not null)
            {
                continue;
            }

            _ = item.Reference.Kind switch
            {
                ReferenceKind.Id => ids.Add(item.Reference.Value),
                ReferenceKind.Email => emails.Add(Person.NormalizeEmail(item.Reference.Value)),
                _ => false,
            };
            if (body.HasId && body.Id is { } id)
            {
                ids.Add(id);
            }

            if (body.HasEmail && body.Email is { } email && workspace.Settings.Identifiers == IdentifierMode.EmailOrId)
            {
                emails.Add(Person.NormalizeEmail(email));
            }
        }

        bulk.Probe(workspace.Id, ids, emails);
    }

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

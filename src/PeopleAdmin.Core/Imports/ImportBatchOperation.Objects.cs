using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Imports;

/// <summary>
/// The rows of object and relationship imports: each an operation of the object rules (<see cref="IdentifyObjectOperation"/>,
/// <see cref="RelatePersonOperation"/>) in a savepoint of its own, as an imported event is. Whether the object (or the
/// relationship) is there already decides created or updated, and what <c>only_new</c> and <c>only_existing</c> skip.
/// A relationship never creates a person or an object: a row naming one that does not exist is skipped with the reason.
/// </summary>
internal sealed partial record ImportBatchOperation
{
    private async Task ApplyObjectsAsync(
        WriteSession session, Workspace workspace, ImportRowOutcome[] outcomes, List<ImportProblem> problems, List<PersonReference> members, CancellationToken ct)
    {
        var type = await new ObjectStore(session).FindTypeAsync(workspace.Id, Options.ObjectTypeId!.Value, ct);
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (Decide(row, outcomes, problems, i) is not { } operation)
            {
                continue;
            }

            var existed = type is not null && await ExistsAsync(session, workspace, type, operation, ct);
            if (Options.DataToProcess == DataToProcess.OnlyNew && existed || Options.DataToProcess == DataToProcess.OnlyExisting && !existed && type is not null)
            {
                var what = Options.Type == ImportType.Object ? "object" : "relationship";
                Skipped(outcomes, problems, i, row, ReferenceOf(row), existed
                    ? $"the {what} exists, and the import takes only new ones"
                    : $"the {what} does not exist, and the import takes only existing ones");
                continue;
            }

            var (result, _) = await ImportPeopleRules.ThroughRulesAsync(operation, session, workspace, ct);
            if (result is { Status: OperationStatus.Applied, NotFound.Count: > 0 })
            {
                Skipped(outcomes, problems, i, row, result.NotFound[0], "no object of the type has this object_id; a relationship import relates existing people and objects only");
                continue;
            }

            outcomes[i] = result.Status switch
            {
                OperationStatus.Applied => existed ? ImportRowOutcome.Updated : ImportRowOutcome.Created,
                OperationStatus.Rejected when AttributeOf(row, result.Error!) is var (name, value) => Failed(problems, row, name, value, result.Error!.Message),
                _ => Classify(row, result, problems),
            };
            if (result.Status == OperationStatus.Applied && Options.Type == ImportType.Relationship && result.CioId is { } cioId)
            {
                members.Add(PersonReference.ForCioId(cioId));
            }
        }
    }

    /// <summary>The attribute (its name, which is its column's unless mapped, and its value) a refusal names, or null.</summary>
    private static (string Name, string Value)? AttributeOf(ImportRow row, RequestError error)
    {
        var attributes = row.Operation switch
        {
            IdentifyObjectOperation identify => identify.Attributes,
            RelatePersonOperation { Objects: [var target] } => target.Attributes,
            _ => null,
        };
        return attributes?.FirstOrDefault(a => error.Field.EndsWith("." + a.Key, StringComparison.Ordinal)) is { Key: not null } named
            ? (named.Key, named.Value.Text ?? "")
            : null;
    }

    private static ImportRowOutcome Failed(List<ImportProblem> problems, ImportRow row, string column, string value, string reason)
    {
        problems.Add(ImportRow.NewProblem(ImportProblemKind.Error, row.Row, column, value, reason));
        return ImportRowOutcome.Failed;
    }

    /// <summary>Whether the row's object (an object import) or the person's relationship to it (a relationship import) exists.</summary>
    private static Task<bool> ExistsAsync(WriteSession session, Workspace workspace, ObjectType type, PeopleOperation operation, CancellationToken ct)
    {
        var objects = session.Db.Set<WorkspaceObject>().AsNoTracking().Where(o => o.WorkspaceId == workspace.Id && o.ObjectTypeRowId == type.Id);
        switch (operation)
        {
            case IdentifyObjectOperation identify:
                return objects.AnyAsync(o => o.ObjectId == identify.Object.ObjectId, ct);
            case RelatePersonOperation { Objects: [var target] } relate:
                var people = session.Db.People.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id);
                var key = relate.Person.Kind == ReferenceKind.Email ? Person.NormalizeEmail(relate.Person.Value) : relate.Person.Value;
                people = relate.Person.Kind == ReferenceKind.Email ? people.Where(p => p.EmailNormalized == key) : people.Where(p => p.ExternalId == key);
                return (from r in session.Db.Set<Relationship>().AsNoTracking()
                        join o in objects on r.ObjectRowId equals o.Id
                        join p in people on r.PersonId equals p.Id
                        where o.ObjectId == target.ObjectId
                        select r).AnyAsync(ct);
            default:
                throw new ArgumentException($"{operation.GetType().Name} is not a row of an object or relationship import", nameof(operation));
        }
    }
}

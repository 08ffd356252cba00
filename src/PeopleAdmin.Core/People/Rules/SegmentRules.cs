using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>Manual segments and their members, each change logged.</summary>
internal static class SegmentRules
{
    public static async Task<OperationResult> ApplyAsync(CreateSegmentOperation operation, WriteSession session, CancellationToken ct)
    {
        if (OperationValidator.Validate(operation) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var name = operation.Name.Trim();
        if (await session.Store.SegmentNameTakenAsync(session.Context.WorkspaceId, name, 0, ct))
        {
            return OperationResult.Rejected(ErrorKind.Conflict, "name", $"a segment named \"{name}\" already exists");
        }

        var segment = await session.Store.AddSegmentAsync(new Segment { WorkspaceId = session.Context.WorkspaceId, Name = name, Description = operation.Description, CreatedMs = session.NowMs }, ct);
        session.Log(ActivityTypes.SegmentChange, null, new JsonObject { ["segment"] = segment.Id, ["action"] = "created", ["name"] = name }.ToJsonString());
        return new OperationResult(OperationStatus.Applied) { RecordId = segment.Id };
    }

    public static async Task<OperationResult> ApplyAsync(RenameSegmentOperation operation, WriteSession session, CancellationToken ct)
    {
        if (OperationValidator.Validate(operation) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var segment = await session.Store.FindSegmentAsync(session.Context.WorkspaceId, operation.SegmentId, ct);
        if (segment is null)
        {
            return NotFound(operation.SegmentId);
        }

        var name = operation.Name.Trim();
        if (await session.Store.SegmentNameTakenAsync(session.Context.WorkspaceId, name, segment.Id, ct))
        {
            return OperationResult.Rejected(ErrorKind.Conflict, "name", $"a segment named \"{name}\" already exists");
        }

        var data = new JsonObject { ["segment"] = segment.Id, ["action"] = "renamed", ["from"] = segment.Name, ["to"] = name }.ToJsonString();
        segment.Name = name;
        segment.Description = operation.Description;
        session.Log(ActivityTypes.SegmentChange, null, data);
        return new OperationResult(OperationStatus.Applied) { RecordId = segment.Id };
    }

    public static async Task<OperationResult> ApplyAsync(DeleteSegmentOperation operation, WriteSession session, CancellationToken ct)
    {
        var segment = await session.Store.FindSegmentAsync(session.Context.WorkspaceId, operation.SegmentId, ct);
        if (segment is null)
        {
            return NotFound(operation.SegmentId);
        }

        session.Store.RemoveSegment(segment);
        session.Log(ActivityTypes.SegmentChange, null, new JsonObject { ["segment"] = segment.Id, ["action"] = "deleted", ["name"] = segment.Name }.ToJsonString());
        return new OperationResult(OperationStatus.Applied) { RecordId = segment.Id };
    }

    public static Task<OperationResult> ApplyAsync(AddToSegmentOperation operation, WriteSession session, CancellationToken ct) =>
        ChangeMembersAsync(operation, operation.SegmentId, operation.People, add: true, session, ct);

    public static Task<OperationResult> ApplyAsync(RemoveFromSegmentOperation operation, WriteSession session, CancellationToken ct) =>
        ChangeMembersAsync(operation, operation.SegmentId, operation.People, add: false, session, ct);

    private static async Task<OperationResult> ChangeMembersAsync(
        PeopleOperation operation, int segmentId, IReadOnlyList<PersonReference> people, bool add, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var segment = await session.Store.FindSegmentAsync(workspace.Id, segmentId, ct);
        if (segment is null)
        {
            return NotFound(segmentId);
        }

        var notFound = new List<string>();
        var seen = new HashSet<long>();
        foreach (var reference in people)
        {
            var person = await session.Store.FindAsync(workspace.Id, workspace.Settings.Identifiers, reference, ct);
            if (person is null)
            {
                notFound.Add(reference.ToString());
                continue;
            }

            // Two references to one person (an email and their cio_id) change the membership once.
            if (!seen.Add(person.Id))
            {
                continue;
            }

            var membership = await session.Store.FindMembershipAsync(segment.Id, person, ct);
            if (add && membership is null)
            {
                session.Store.AddMembership(new SegmentMembership { SegmentId = segment.Id, PersonId = person.Id, WorkspaceId = workspace.Id, AddedMs = session.NowMs });
            }
            else if (!add && membership is not null)
            {
                session.Store.RemoveMembership(membership);
            }
            else
            {
                continue;
            }

            session.Log(ActivityTypes.SegmentChange, person, new JsonObject { ["segment"] = segment.Id, ["name"] = segment.Name, ["action"] = add ? "added" : "removed" }.ToJsonString());
        }

        return new OperationResult(OperationStatus.Applied) { RecordId = segment.Id, NotFound = notFound };
    }

    private static OperationResult NotFound(int id) => OperationResult.Rejected(ErrorKind.NotFound, "segment_id", $"segment {id} does not exist in this workspace");
}

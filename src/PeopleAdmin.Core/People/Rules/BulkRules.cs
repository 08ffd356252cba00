using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// A batch of a bulk action. Who is still there, and who still matches the action's filter, is read in the transaction
/// that makes the change, so a person who changed since the action started is judged as they are now; each change then
/// goes through the same rule as a single delete, suppress or membership change, with the same log entries.
/// </summary>
internal static class BulkRules
{
    public const string SkippedGone = "no longer exists (deleted, suppressed or merged into someone else since the action started)";
    public const string SkippedNoLongerMatching = "no longer matches the filter";

    public static async Task<OperationResult> ApplyAsync(BulkPeopleOperation operation, WriteSession session, CancellationToken ct)
    {
        if (Problem(operation) is { } problem)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = problem };
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return IdentifyRules.NoWorkspace(session);
        }

        var cioIds = operation.CioIds.Select(PersonReference.StripCioPrefix).Distinct(StringComparer.Ordinal).ToList();
        var found = await session.Store.MatchAsync(workspace.Id, RelativeDates.Resolve(operation.StillMatching ?? AudienceFilter.Everyone, session.Clock.GetUtcNow()), cioIds, ct);
        var skipped = new List<SkippedPerson>();
        var targets = new List<PersonReference>();
        foreach (var cioId in cioIds)
        {
            if (!found.TryGetValue(cioId, out var matches))
            {
                skipped.Add(new SkippedPerson(cioId, SkippedGone));
            }
            else if (!matches)
            {
                skipped.Add(new SkippedPerson(cioId, SkippedNoLongerMatching));
            }
            else
            {
                targets.Add(PersonReference.ForCioId(cioId));
            }
        }

        if (operation.Kind is BulkActionKind.AddToSegment or BulkActionKind.RemoveFromSegment)
        {
            var segmentId = operation.SegmentId!.Value;
            var membership = operation.Kind == BulkActionKind.AddToSegment
                ? await SegmentRules.ApplyAsync(new AddToSegmentOperation(segmentId, targets), session, ct)
                : await SegmentRules.ApplyAsync(new RemoveFromSegmentOperation(segmentId, targets), session, ct);
            if (membership.Status != OperationStatus.Applied)
            {
                return membership;
            }
        }
        else
        {
            foreach (var target in targets)
            {
                var result = operation.Kind == BulkActionKind.Delete
                    ? await LifecycleRules.ApplyAsync(new DeletePersonOperation(target), session, ct)
                    : await LifecycleRules.ApplyAsync(new SuppressOperation(target), session, ct);
                if (result.Status != OperationStatus.Applied)
                {
                    skipped.Add(new SkippedPerson(target.Value, result.Error?.Message ?? result.IgnoredReason ?? "nothing changed"));
                }
            }
        }

        return new OperationResult(OperationStatus.Applied) { RecordId = operation.SegmentId, Skipped = skipped };
    }

    private static RequestError? Problem(BulkPeopleOperation operation)
    {
        if (operation.CioIds.Count is 0 or > BulkPeopleOperation.MaxPeople)
        {
            return OperationValidator.Invalid("cio_ids", $"a bulk batch names 1 to {BulkPeopleOperation.MaxPeople:N0} people, not {operation.CioIds.Count:N0}");
        }

        if (operation.Kind is BulkActionKind.AddToSegment or BulkActionKind.RemoveFromSegment && operation.SegmentId is null)
        {
            return OperationValidator.Invalid("segment_id", "adding to or removing from a segment names the segment");
        }

        return operation.StillMatching is { } filter && AudienceFilterRules.Problem(filter) is { } filterProblem
            ? OperationValidator.Invalid("filter", filterProblem)
            : null;
    }
}

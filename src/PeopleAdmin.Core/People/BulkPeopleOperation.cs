using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People;

/// <summary>What a bulk action does to each person.</summary>
public enum BulkActionKind
{
    Delete,
    Suppress,
    AddToSegment,
    RemoveFromSegment,
}

/// <summary>
/// One batch of a bulk action: the same change for up to <see cref="MaxPeople"/> people named by cio_id (which is never
/// reused, so a name cannot come to mean someone else). With <paramref name="StillMatching"/>, a person is changed only
/// when the filter matches them in the transaction that changes them; the others are listed in
/// <see cref="OperationResult.Skipped"/>, as are people who no longer exist.
/// </summary>
public sealed record BulkPeopleOperation(
    BulkActionKind Kind,
    IReadOnlyList<string> CioIds,
    int? SegmentId = null,
    AudienceFilter? StillMatching = null) : PeopleOperation
{
    public const int MaxPeople = 1_000;

    internal override long EstimatedBytes => BaseBytes + 64L * CioIds.Count;

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.BulkRules.ApplyAsync(this, session, cancellationToken);
}

using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    private static readonly string[] EventTypes = [ActivityTypes.Event, ActivityTypes.Page, ActivityTypes.Screen];

    /// <summary>What merging <paramref name="secondary"/> into <paramref name="primary"/> would do, without writing.</summary>
    public async Task<MergePreview> PreviewMergeAsync(int workspaceId, PersonReference primary, PersonReference secondary, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var p = await FindAsync(db, workspaceId, primary, cancellationToken);
        var s = await FindAsync(db, workspaceId, secondary, cancellationToken);
        if (p is null || s is null)
        {
            var missing = p is null ? "primary" : "secondary";
            return new MergePreview { Error = new RequestError(ErrorKind.NotFound, missing, $"the {missing} person ({(p is null ? primary : secondary)}) does not exist") };
        }

        if (p.Id == s.Id)
        {
            return new MergePreview { Error = new RequestError(ErrorKind.Invalid, "secondary", $"primary and secondary are the same person (cio_{p.CioId})") };
        }

        var attributes = await db.PersonAttributes.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId && (a.PersonId == p.Id || a.PersonId == s.Id))
            .Select(a => new { a.PersonId, a.Name, a.TextValue })
            .ToListAsync(cancellationToken);
        var names = attributes.Select(a => a.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = names.Select(name =>
        {
            var mine = attributes.FirstOrDefault(a => a.PersonId == p.Id && a.Name == name)?.TextValue;
            var theirs = attributes.FirstOrDefault(a => a.PersonId == s.Id && a.Name == name)?.TextValue;
            return new MergeAttributePreview(name, mine, theirs, FromSecondary: mine is null);
        }).ToList();
        var primarySegments = db.SegmentMemberships.Where(m => m.WorkspaceId == workspaceId && m.PersonId == p.Id).Select(m => m.SegmentId);
        var joining = await db.SegmentMemberships.AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && m.PersonId == s.Id && !primarySegments.Contains(m.SegmentId))
            .Join(db.Segments, m => new { m.WorkspaceId, Id = m.SegmentId }, g => new { g.WorkspaceId, g.Id }, (m, g) => g.Name)
            .OrderBy(n => n)
            .ToListAsync(cancellationToken);
        return new MergePreview
        {
            Primary = new PersonSummary(p.CioId, p.ExternalId, p.Email),
            Secondary = new PersonSummary(s.CioId, s.ExternalId, s.Email),
            Result = new PersonSummary(p.CioId, p.ExternalId ?? s.ExternalId, p.Email ?? s.Email),
            Attributes = rows,
            PrimaryFirstSeen = Time(p.FirstSeenMs),
            SecondaryFirstSeen = Time(s.FirstSeenMs),
            ActivityMoving = await db.Activities.CountAsync(a => a.WorkspaceId == workspaceId && a.PersonId == s.Id, cancellationToken),
            EventsMoving = await db.Activities.CountAsync(a => a.WorkspaceId == workspaceId && a.PersonId == s.Id && EventTypes.Contains(a.Type), cancellationToken),
            DevicesMoving = await db.Devices.CountAsync(d => d.WorkspaceId == workspaceId && d.PersonId == s.Id, cancellationToken),
            SegmentsJoining = joining,
        };
    }
}

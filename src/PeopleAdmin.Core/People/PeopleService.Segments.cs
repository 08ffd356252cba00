using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.People;

/// <summary>One member of a manual segment, as the Segments page lists them.</summary>
public sealed record SegmentMember(string CioId, string? Id, string? Email, DateTimeOffset Added);

/// <summary>
/// A page of a segment's members, in the order the people were added to the workspace; <paramref name="Total"/> counts
/// every member that the search matches, not only this page's.
/// </summary>
public sealed record SegmentMembersPage(IReadOnlyList<SegmentMember> Members, int Total);

/// <summary>Which members of a segment to read: <paramref name="Search"/> as the People page's search box reads it.</summary>
public sealed record SegmentMembersQuery(int WorkspaceId, int SegmentId, string? Search, int Skip, int Take)
{
    public const int MaxTake = 100;
}

public sealed partial class PeopleService
{
    /// <summary>One manual segment with its member count; null when the workspace has no such segment.</summary>
    public async Task<SegmentSummary?> GetSegmentAsync(int workspaceId, int segmentId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var segment = await db.Segments.AsNoTracking()
            .Where(s => s.WorkspaceId == workspaceId && s.Id == segmentId)
            .Select(s => new { s.Id, s.Name, s.Description, s.CreatedMs, Members = db.SegmentMemberships.Count(m => m.WorkspaceId == s.WorkspaceId && m.SegmentId == s.Id) })
            .FirstOrDefaultAsync(cancellationToken);
        return segment is null ? null : new SegmentSummary(segment.Id, segment.Name, segment.Description, Time(segment.CreatedMs), segment.Members);
    }

    /// <summary>
    /// A page of a segment's members. A search of <c>cio_…</c> finds that one member; any other text finds members whose
    /// email (any case) or id starts with it. A segment of another workspace has no members here.
    /// </summary>
    public async Task<SegmentMembersPage> ListSegmentMembersAsync(SegmentMembersQuery query, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var members = db.SegmentMemberships.AsNoTracking()
            .Where(m => m.SegmentId == query.SegmentId && m.WorkspaceId == query.WorkspaceId)
            .Join(db.People, m => new { m.WorkspaceId, Id = m.PersonId }, p => new { p.WorkspaceId, p.Id }, (m, p) => new { m.PersonId, m.AddedMs, p.CioId, p.ExternalId, p.Email, p.EmailNormalized });

        var term = query.Search?.Trim() ?? "";
        if (term.StartsWith(PersonReference.CioPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var cioId = term[PersonReference.CioPrefix.Length..].ToLowerInvariant();
            members = members.Where(m => m.CioId == cioId);
        }
        else if (term.Length > 0)
        {
            // Prefix ranges rather than LIKE, which ignores case on SQLite and keeps it on PostgreSQL.
            var email = term.ToLowerInvariant();
            var emailEnd = email + char.MaxValue;
            var idEnd = term + char.MaxValue;
            members = members.Where(m =>
                (string.Compare(m.EmailNormalized, email) >= 0 && string.Compare(m.EmailNormalized, emailEnd) < 0)
                || (string.Compare(m.ExternalId, term) >= 0 && string.Compare(m.ExternalId, idEnd) < 0));
        }

        var total = await members.CountAsync(cancellationToken);
        var rows = await members.OrderBy(m => m.PersonId)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, SegmentMembersQuery.MaxTake))
            .ToListAsync(cancellationToken);
        return new SegmentMembersPage([.. rows.Select(m => new SegmentMember(m.CioId, m.ExternalId, m.Email, Time(m.AddedMs)))], total);
    }
}

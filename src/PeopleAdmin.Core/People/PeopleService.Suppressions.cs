using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    /// <summary>
    /// A page of the suppression list, newest group first; with <paramref name="search"/>, only values that start with it
    /// (emails in any case, ids as written).
    /// </summary>
    public async Task<SuppressionPage> SearchSuppressionsAsync(int workspaceId, string? search, int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var entries = db.Suppressions.AsNoTracking().Where(s => s.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            var lower = term.ToLowerInvariant();
            entries = entries.Where(s => s.ValueKey.StartsWith(term) || s.ValueKey.StartsWith(lower));
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(s => s.GroupId).ThenBy(s => s.Kind)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(s => new { s.GroupId, s.Kind, s.Value, s.CioId, s.CreatedMs, s.Source })
            .ToListAsync(cancellationToken);
        return new SuppressionPage([.. rows.Select(s => new SuppressionEntry(s.GroupId, s.Kind, s.Value, s.CioId, Time(s.CreatedMs)) { Source = s.Source })], total);
    }
}

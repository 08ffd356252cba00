using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Imports;

/// <summary>
/// A person an import created or updated, as the import's page lists them: their identifiers as they are now, or,
/// when they no longer exist, whom they were merged into (a merge not undone) if that person still exists.
/// </summary>
public sealed record ImportedPersonView(string CioId, ImportPersonOutcome Outcome, long Row, bool Exists, string? Id, string? Email, string? MergedInto);

public sealed record ImportedPeoplePage(IReadOnlyList<ImportedPersonView> People, int Total);

/// <summary>The people an import created or updated (<see cref="ImportPerson"/>), a page at a time in row order.</summary>
public static class ImportedPeople
{
    public static async Task<ImportedPeoplePage> PageAsync(
        PeopleAdminDbContext db, int workspaceId, long importId, ImportPersonOutcome? outcome, int skip, int take, CancellationToken cancellationToken)
    {
        var recorded = db.ImportPeople.AsNoTracking().Where(p => p.WorkspaceId == workspaceId && p.ImportId == importId);
        if (outcome is { } only)
        {
            recorded = recorded.Where(p => p.Outcome == only);
        }

        var rows = await (
            from record in recorded.OrderBy(p => p.Row).Skip(skip).Take(take)
            join person in db.People on new { record.WorkspaceId, record.CioId } equals new { person.WorkspaceId, person.CioId } into found
            from person in found.DefaultIfEmpty()
            orderby record.Row
            select new { record.CioId, record.Outcome, record.Row, Exists = person != null, Id = person!.ExternalId, person.Email })
            .ToListAsync(cancellationToken);

        var gone = rows.Where(r => !r.Exists).Select(r => r.CioId).ToList();
        var mergedInto = gone.Count == 0 ? [] : await MergedIntoAsync(db, workspaceId, gone, cancellationToken);
        var people = rows.Select(r => new ImportedPersonView(r.CioId, r.Outcome, r.Row, r.Exists, r.Id, r.Email, mergedInto.GetValueOrDefault(r.CioId))).ToList();
        return new ImportedPeoplePage(people, await recorded.CountAsync(cancellationToken));
    }

    /// <summary>Whom each of these people was last merged into, where that merge stands and its primary still exists.</summary>
    private static async Task<Dictionary<string, string>> MergedIntoAsync(PeopleAdminDbContext db, int workspaceId, List<string> cioIds, CancellationToken cancellationToken)
    {
        var merges = await (
            from merge in db.MergeRecords.AsNoTracking()
            where merge.WorkspaceId == workspaceId && cioIds.Contains(merge.SecondaryCioId) && merge.UndoneMs == null
            join primary in db.People on new { merge.WorkspaceId, CioId = merge.PrimaryCioId } equals new { primary.WorkspaceId, primary.CioId }
            select new { merge.SecondaryCioId, merge.PrimaryCioId, merge.AtMs })
            .ToListAsync(cancellationToken);
        return merges.GroupBy(m => m.SecondaryCioId).ToDictionary(g => g.Key, g => g.MaxBy(m => m.AtMs)!.PrimaryCioId, StringComparer.Ordinal);
    }
}

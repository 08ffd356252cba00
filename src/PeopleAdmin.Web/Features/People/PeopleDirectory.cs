using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Features.People;

/// <summary>One row of the People list.</summary>
public sealed record PersonRow(long RowId, string CioId, string? Id, string? Email, DateTimeOffset FirstSeen, DateTimeOffset Updated)
{
    /// <summary>The keyset position of this row: first seen, then row id, both descending.</summary>
    public string Cursor => $"{FirstSeen.ToUnixTimeMilliseconds()}-{RowId}";
}

/// <summary>A page of people, newest first. <see cref="Previous"/> and <see cref="Next"/> are cursors, null at either end.</summary>
public sealed record PeoplePage(IReadOnlyList<PersonRow> Rows, string? Previous, string? Next);

/// <summary>What the search box found: exactly one person (open them), or a list of prefix matches.</summary>
public sealed record PeopleSearch(string? ExactCioId, IReadOnlyList<PersonRow> Matches, bool More);

/// <summary>
/// The People page's reads: keyset pages over the (WorkspaceId, FirstSeenMs, Id) index, exact lookups and prefix
/// search over the email and id indexes. Every query is bounded by the page size, whatever the workspace's size.
/// </summary>
public sealed class PeopleDirectory(IDbContextFactory<PeopleAdminDbContext> factory)
{
    public const int PageSize = 50;
    public const int SearchLimit = 50;

    /// <summary>The page after <paramref name="after"/>, or before <paramref name="before"/>, or the newest.</summary>
    /// <remarks>
    /// The keyset condition is written with a plain bound on FirstSeenMs first: SQLite turns that into an index range,
    /// where the textbook "a &lt; x OR (a = x AND id &lt; y)" scans every row before the page (188 ms at row 900,000 of
    /// 1,000,000 against 0.25 ms).
    /// </remarks>
    public async Task<PeoplePage> PageAsync(int workspaceId, string? after, string? before, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var people = db.People.AsNoTracking().Where(p => p.WorkspaceId == workspaceId);
        List<Person> rows;
        bool moreBefore, moreAfter;
        if (TryParseCursor(before, out var bMs, out var bId))
        {
            rows = await people
                .Where(p => p.FirstSeenMs >= bMs && (p.FirstSeenMs > bMs || p.Id > bId))
                .OrderBy(p => p.FirstSeenMs).ThenBy(p => p.Id)
                .Take(PageSize + 1)
                .ToListAsync(cancellationToken);
            moreBefore = rows.Count > PageSize;
            rows = [.. rows.Take(PageSize).Reverse()];
            moreAfter = true;
        }
        else
        {
            var query = TryParseCursor(after, out var aMs, out var aId)
                ? people.Where(p => p.FirstSeenMs <= aMs && (p.FirstSeenMs < aMs || p.Id < aId))
                : people;
            rows = await query
                .OrderByDescending(p => p.FirstSeenMs).ThenByDescending(p => p.Id)
                .Take(PageSize + 1)
                .ToListAsync(cancellationToken);
            moreAfter = rows.Count > PageSize;
            rows = [.. rows.Take(PageSize)];
            moreBefore = after is not null;
        }

        var result = rows.Select(ToRow).ToList();
        return new PeoplePage(
            result,
            moreBefore && result.Count > 0 ? result[0].Cursor : null,
            moreAfter && result.Count > 0 ? result[^1].Cursor : null);
    }

    public async Task<bool> AnyAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.People.AnyAsync(p => p.WorkspaceId == workspaceId, cancellationToken);
    }

    /// <summary>
    /// An exact email (any case), id or <c>cio_…</c> names one person; otherwise people whose email or id starts
    /// with the text.
    /// </summary>
    public async Task<PeopleSearch> SearchAsync(int workspaceId, IdentifierMode mode, string text, CancellationToken cancellationToken)
    {
        var term = text.Trim();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var people = db.People.AsNoTracking().Where(p => p.WorkspaceId == workspaceId);
        if (term.Length == 0)
        {
            return new PeopleSearch(null, [], false);
        }

        if (term.StartsWith(PersonReference.CioPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var cioId = term[PersonReference.CioPrefix.Length..].ToLowerInvariant();
            var found = await people.Where(p => p.CioId == cioId).Select(p => p.CioId).FirstOrDefaultAsync(cancellationToken);
            if (found is not null)
            {
                return new PeopleSearch(found, [], false);
            }
        }

        var byId = await people.Where(p => p.ExternalId == term).Select(p => p.CioId).FirstOrDefaultAsync(cancellationToken);
        if (byId is not null)
        {
            return new PeopleSearch(byId, [], false);
        }

        var normalized = term.ToLowerInvariant();
        if (term.Contains('@', StringComparison.Ordinal))
        {
            var byEmail = await people.Where(p => p.EmailNormalized == normalized).Select(p => p.CioId).Take(2).ToListAsync(cancellationToken);
            // In ID only, an email need not be unique: two holders make a list, not a profile.
            if (byEmail.Count == 1 || (byEmail.Count > 1 && mode == IdentifierMode.EmailOrId))
            {
                return new PeopleSearch(byEmail[0], [], false);
            }
        }

        var emailMatches = await EmailPrefix(people, normalized).ToListAsync(cancellationToken);
        var idMatches = await IdPrefix(people, term).ToListAsync(cancellationToken);
        var matches = emailMatches.Concat(idMatches).DistinctBy(p => p.Id).ToList();
        return new PeopleSearch(null, [.. matches.Take(SearchLimit).Select(ToRow)], matches.Count > SearchLimit);
    }

    // Prefix ranges, not LIKE: SQLite's LIKE ignores case and cannot use the indexes.
    internal static IQueryable<Person> EmailPrefix(IQueryable<Person> people, string normalizedPrefix)
    {
        var end = normalizedPrefix + char.MaxValue;
        return people
            .Where(p => string.Compare(p.EmailNormalized, normalizedPrefix) >= 0 && string.Compare(p.EmailNormalized, end) < 0)
            .OrderBy(p => p.EmailNormalized)
            .Take(SearchLimit + 1);
    }

    internal static IQueryable<Person> IdPrefix(IQueryable<Person> people, string prefix)
    {
        var end = prefix + char.MaxValue;
        return people
            .Where(p => string.Compare(p.ExternalId, prefix) >= 0 && string.Compare(p.ExternalId, end) < 0)
            .OrderBy(p => p.ExternalId)
            .Take(SearchLimit + 1);
    }

    private static PersonRow ToRow(Person p) => new(
        p.Id, p.CioId, p.ExternalId, p.Email,
        DateTimeOffset.FromUnixTimeMilliseconds(p.FirstSeenMs),
        DateTimeOffset.FromUnixTimeMilliseconds(p.UpdatedMs));

    private static bool TryParseCursor(string? cursor, out long ms, out long id)
    {
        ms = 0;
        id = 0;
        var parts = cursor?.Split('-');
        return parts is [var a, var b]
            && long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out ms)
            && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}

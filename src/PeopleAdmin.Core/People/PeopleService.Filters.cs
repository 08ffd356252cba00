using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.People.Store.Sqlite;

namespace PeopleAdmin.Core.People;

/// <summary>One person a filter found, with the text of the attributes asked for (null where they have none).</summary>
public sealed record FilteredPerson(long Key, string CioId, string? Id, string? Email, DateTimeOffset FirstSeen, DateTimeOffset Updated, IReadOnlyList<string?> Attributes);

/// <summary>A page of people in key order; <see cref="After"/> continues from the last of them, null at the end.</summary>
public sealed record PeopleFilterPage(IReadOnlyList<FilteredPerson> People, long? After);

public sealed partial class PeopleService
{
    /// <summary>
    /// People of the workspace matching an audience filter, a page at a time in the order they were added (keyset on
    /// the person's key), with the text of <paramref name="attributes"/> for each. Relative dates ("within the next 30
    /// days") read as of now, here and in the count and rows below.
    /// </summary>
    public async Task<PeopleFilterPage> FilterPeopleAsync(
        int workspaceId, AudienceFilter filter, long? after, int pageSize, CancellationToken cancellationToken, IReadOnlyList<string>? attributes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        attributes ??= [];
        filter = RelativeDates.Resolve(filter, _clock.GetUtcNow());
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var (sql, parameters) = AudienceSql.Page(db.Database, workspaceId, filter, after ?? 0, pageSize);
        var keys = await db.Database.SqlQueryRaw<long>(sql, [.. parameters]).ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && keys.Contains(p.Id))
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.CioId, p.ExternalId, p.Email, p.FirstSeenMs, p.UpdatedMs })
            .ToListAsync(cancellationToken);
        var values = attributes.Count == 0
            ? []
            : await db.PersonAttributes.AsNoTracking()
                .Where(a => a.WorkspaceId == workspaceId && keys.Contains(a.PersonId) && attributes.Contains(a.Name))
                .Select(a => new { a.PersonId, a.Name, a.TextValue })
                .ToListAsync(cancellationToken);
        var byPerson = values.ToLookup(v => v.PersonId);
        var found = people.Select(p => new FilteredPerson(
            p.Id, p.CioId, p.ExternalId, p.Email, Time(p.FirstSeenMs), Time(p.UpdatedMs),
            [.. attributes.Select(name => PersonFieldText(name, p.CioId, p.ExternalId, p.Email) ?? byPerson[p.Id].FirstOrDefault(v => v.Name == name)?.TextValue)])).ToList();
        return new PeopleFilterPage(found, keys.Count == pageSize ? keys[^1] : null);
    }

    /// <summary>How many people of the workspace match the filter (reads every candidate: callers run it beside the page).</summary>
    public async Task<long> CountPeopleAsync(int workspaceId, AudienceFilter filter, CancellationToken cancellationToken)
    {
        filter = RelativeDates.Resolve(filter, _clock.GetUtcNow());
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            var (pgSql, pgParameters) = AudienceSql.Count(db.Database, workspaceId, filter);
            return await db.Database.SqlQueryRaw<long>(pgSql, [.. pgParameters]).SingleAsync(cancellationToken);
        }

        // One snapshot: which attributes hold only numbers must still be true when the count reads their ranges.
        await using var snapshot = await db.Database.BeginTransactionAsync(cancellationToken);
        var numberOnly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in SqliteAudienceSql.RangeAttributes(filter).Distinct(StringComparer.Ordinal))
        {
            var onlyNumbers = await db.Database.SqlQueryRaw<bool>(
                    SqliteAudienceSql.HoldsOnlyNumbers, new SqliteParameter("@w", workspaceId), new SqliteParameter("@name", name))
                .SingleAsync(cancellationToken);
            if (onlyNumbers)
            {
                numberOnly.Add(name);
            }
        }

        var (sql, parameters) = SqliteAudienceSql.Count(workspaceId, filter, numberOnly);
        return await db.Database.SqlQueryRaw<long>(sql, [.. parameters]).SingleAsync(cancellationToken);
    }

    /// <summary>
    /// Every matching person in key order with the attributes asked for, read from one statement as the caller steps
    /// through them (see <see cref="PeopleRows"/>): an export of a million people holds one row at a time.
    /// </summary>
    public async Task<PeopleRows> OpenPeopleRowsAsync(int workspaceId, AudienceFilter filter, IReadOnlyList<string> attributes, CancellationToken cancellationToken)
    {
        filter = RelativeDates.Resolve(filter, _clock.GetUtcNow());
        var db = await _factory.CreateDbContextAsync(cancellationToken);
        try
        {
            return db.Database.IsNpgsql()
                ? await Store.Postgres.PostgresPeopleRows.OpenAsync(db, Store.Postgres.PostgresAudienceSql.Rows(workspaceId, filter, attributes), attributes.Count, cancellationToken)
                : await SqlitePeopleRows.OpenAsync(db, SqliteAudienceSql.Rows(workspaceId, filter, attributes), attributes.Count, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of the workspace's custom attributes, for suggestions: distinct names read off the name index.</summary>
    public async Task<IReadOnlyList<string>> AttributeNamesAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var (sql, parameters) = AudienceSql.AttributeNames(db.Database, workspaceId, 1_000);
        return await db.Database.SqlQueryRaw<string>(sql, parameters).ToListAsync(cancellationToken);
    }

    private static string? PersonFieldText(string name, string cioId, string? id, string? email) => name switch
    {
        ReservedKeys.CioId => cioId,
        ReservedKeys.Id => id,
        ReservedKeys.Email => email,
        _ => null,
    };
}

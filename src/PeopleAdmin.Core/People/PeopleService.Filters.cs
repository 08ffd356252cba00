using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;

namespace PeopleAdmin.Core.People;

/// <summary>One person a filter found, with the text of the attributes asked for (null where they have none).</summary>
public sealed record FilteredPerson(long Key, string CioId, string? Id, string? Email, DateTimeOffset FirstSeen, DateTimeOffset Updated, IReadOnlyList<string?> Attributes);

/// <summary>A page of people in key order; <see cref="After"/> continues from the last of them, null at the end.</summary>
public sealed record PeopleFilterPage(IReadOnlyList<FilteredPerson> People, long? After);

/// <summary>One row of an export: the person's identifiers and the text of each attribute asked for.</summary>
public sealed record ExportedPerson(string CioId, string? Id, string? Email, string?[] Attributes);

public sealed partial class PeopleService
{
    /// <summary>
    /// People of the workspace matching an audience filter, a page at a time in the order they were added (keyset on
    /// the person's key), with the text of <paramref name="attributes"/> for each.
    /// </summary>
    public async Task<PeopleFilterPage> FilterPeopleAsync(
        int workspaceId, AudienceFilter filter, long? after, int pageSize, CancellationToken cancellationToken, IReadOnlyList<string>? attributes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        attributes ??= [];
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var (sql, parameters) = AudienceSql.Page(db.Database, workspaceId, filter, after ?? 0, pageSize);
        var keys = await db.Database.SqlQueryRaw<long>(sql, [.. parameters]).ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking()
            .Where(p => keys.Contains(p.Id))
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.CioId, p.ExternalId, p.Email, p.FirstSeenMs, p.UpdatedMs })
            .ToListAsync(cancellationToken);
        var values = attributes.Count == 0
            ? []
            : await db.PersonAttributes.AsNoTracking()
                .Where(a => keys.Contains(a.PersonId) && attributes.Contains(a.Name))
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
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var (sql, parameters) = AudienceSql.Count(db.Database, workspaceId, filter);
        return await db.Database.SqlQueryRaw<long>(sql, [.. parameters]).SingleAsync(cancellationToken);
    }

    /// <summary>
    /// Every matching person in key order, read from one statement as the caller consumes them: an export of a million
    /// people holds one row at a time.
    /// </summary>
    public async IAsyncEnumerable<ExportedPerson> StreamPeopleAsync(
        int workspaceId, AudienceFilter filter, IReadOnlyList<string> attributes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var (sql, parameters) = AudienceSql.Rows(db.Database, workspaceId, filter, attributes);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new string?[attributes.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(4 + i) ? null : reader.GetString(4 + i);
            }

            yield return new ExportedPerson(
                reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), values);
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

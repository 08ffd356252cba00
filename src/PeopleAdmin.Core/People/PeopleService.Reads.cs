using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    /// <summary>A live person by reference; null when nobody holds it.</summary>
    public async Task<PersonDetails?> GetPersonAsync(int workspaceId, PersonReference reference, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var person = await FindAsync(db, workspaceId, reference, cancellationToken);
        if (person is null)
        {
            return null;
        }

        var attributes = await db.PersonAttributes.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId && a.PersonId == person.Id)
            .OrderBy(a => a.Name)
            .Select(a => new { a.Name, a.Type, a.TextValue, a.SetMs, a.Timestamp })
            .ToListAsync(cancellationToken);
        var devices = await db.Devices.AsNoTracking()
            .Where(d => d.WorkspaceId == workspaceId && d.PersonId == person.Id)
            .OrderBy(d => d.Token)
            .Select(d => new { d.Token, d.Platform, d.LastUsed, d.Attributes, d.UpdatedMs })
            .ToListAsync(cancellationToken);
        var segments = await PersonSegmentsAsync(db, person, cancellationToken);
        return new PersonDetails(
            person.CioId,
            person.ExternalId,
            person.Email,
            Time(person.FirstSeenMs),
            person.CreatedAt,
            Time(person.UpdatedMs),
            person.Unsubscribed,
            [.. attributes.Select(a => new PersonAttributeDetails(a.Name, a.Type, a.TextValue, Time(a.SetMs), a.Timestamp))],
            [.. devices.Select(d => new DeviceDetails(d.Token, d.Platform, d.LastUsed, d.Attributes is null ? null : TextRules.Repair(d.Attributes), Time(d.UpdatedMs)))],
            segments)
        {
            IdChanged = person.ExternalIdChangedMs is { } idMs ? Time(idMs) : null,
            EmailChanged = person.EmailChangedMs is { } emailMs ? Time(emailMs) : null,
        };
    }

    /// <summary>People whose email matches case-insensitively (in <c>id_only</c>, the email attribute, which several may share).</summary>
    public async Task<IReadOnlyList<PersonSummary>> FindPeopleByEmailAsync(int workspaceId, string email, CancellationToken cancellationToken)
    {
        var key = Person.NormalizeEmail(email);
        if (!TextRules.IsWellFormed(key))
        {
            // Text that is refused on the way in is nobody's email (and PostgreSQL could not even compare it).
            return [];
        }

        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        return await db.People.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.EmailNormalized == key)
            .OrderBy(p => p.Id)
            .Select(p => new PersonSummary(p.CioId, p.ExternalId, p.Email))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Activity newest first. A person's activity is every entry now attached to them (their own and what merges
    /// brought); the workspace's is every entry, deleted people's included without their data.
    /// </summary>
    public async Task<ActivityPage> GetActivityAsync(ActivityQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit <= 0 ? ActivityQuery.DefaultLimit : query.Limit, 1, ActivityQuery.MaxLimit);
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var entries = db.Activities.AsNoTracking().Where(a => a.WorkspaceId == query.WorkspaceId);
        if (query.CioId is not null)
        {
            var cioId = PersonReference.StripCioPrefix(query.CioId);
            var personId = await db.People.Where(p => p.WorkspaceId == query.WorkspaceId && p.CioId == cioId).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken);
            if (personId is null)
            {
                return new ActivityPage([], null);
            }

            entries = entries.Where(a => a.PersonId == personId);
        }

        if (query.Types is { Count: > 0 } types)
        {
            entries = entries.Where(a => types.Contains(a.Type));
        }

        if (query.Cursor is not null && long.TryParse(query.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
        {
            entries = entries.Where(a => a.Id < before);
        }

        var page = await entries
            .OrderByDescending(a => a.Id)
            .Take(limit + 1)
            .GroupJoin(db.People, a => new { a.WorkspaceId, Id = a.PersonId }, p => new { p.WorkspaceId, Id = (long?)p.Id }, (a, people) => new { a, people })
            .SelectMany(x => x.people.DefaultIfEmpty(), (x, p) => new
            {
                x.a.Id,
                x.a.Type,
                x.a.Name,
                x.a.AtMs,
                x.a.Timestamp,
                x.a.Source,
                EntryCioId = x.a.CioId,
                PersonCioId = p == null ? null : p.CioId,
                ExternalId = p == null ? null : p.ExternalId,
                Email = p == null ? null : p.Email,
                x.a.AnonymousId,
                x.a.Data,
                x.a.Actor,
            })
            .OrderByDescending(a => a.Id)
            .ToListAsync(cancellationToken);
        var items = page.Take(limit)
            .Select(a => new ActivityItem(a.Id, a.Type, a.Name, Time(a.AtMs), a.Timestamp, a.Source, a.PersonCioId ?? a.EntryCioId, a.ExternalId, a.Email, a.AnonymousId, a.Data is null ? null : TextRules.Repair(a.Data), a.Actor))
            .ToList();
        var next = page.Count > limit ? items[^1].EntryId.ToString(CultureInfo.InvariantCulture) : null;
        return new ActivityPage(items, next);
    }

    /// <summary>A copy of the workspace's settings; null when there is no such workspace.</summary>
    public async Task<WorkspaceSettings?> GetSettingsAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        return workspace?.Settings.Clone();
    }

    public async Task<IReadOnlyList<SegmentSummary>> ListSegmentsAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var segments = await db.Segments.AsNoTracking()
            .Where(s => s.WorkspaceId == workspaceId)
            .OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, s.Description, s.CreatedMs, Members = db.SegmentMemberships.Count(m => m.WorkspaceId == s.WorkspaceId && m.SegmentId == s.Id) })
            .ToListAsync(cancellationToken);
        return [.. segments.Select(s => new SegmentSummary(s.Id, s.Name, s.Description, Time(s.CreatedMs), s.Members))];
    }

    /// <summary>The manual segments a person belongs to; null when nobody holds the reference.</summary>
    public async Task<IReadOnlyList<SegmentSummary>?> GetPersonSegmentsAsync(int workspaceId, PersonReference reference, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var person = await FindAsync(db, workspaceId, reference, cancellationToken);
        return person is null ? null : await PersonSegmentsAsync(db, person, cancellationToken);
    }

    /// <summary>The merges a person took part in (as primary or secondary), newest first; the workspace's when <paramref name="cioId"/> is null.</summary>
    public async Task<IReadOnlyList<MergeSummary>> ListMergesAsync(int workspaceId, string? cioId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var merges = db.MergeRecords.AsNoTracking().Where(m => m.WorkspaceId == workspaceId);
        if (cioId is not null)
        {
            var key = PersonReference.StripCioPrefix(cioId);
            merges = merges.Where(m => m.PrimaryCioId == key || m.SecondaryCioId == key);
        }

        var rows = await merges.OrderByDescending(m => m.Id)
            .Select(m => new { m.Id, m.PrimaryCioId, m.SecondaryCioId, m.AtMs, m.Source, m.Actor, m.UndoneMs })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(m => new MergeSummary(m.Id, m.PrimaryCioId, m.SecondaryCioId, Time(m.AtMs), m.Source, m.Actor, m.UndoneMs is { } undone ? Time(undone) : null))];
    }

    public async Task<IReadOnlyList<SuppressionEntry>> ListSuppressionsAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Suppressions.AsNoTracking()
            .Where(s => s.WorkspaceId == workspaceId)
            .OrderByDescending(s => s.GroupId).ThenBy(s => s.Kind)
            .Select(s => new { s.GroupId, s.Kind, s.Value, s.CioId, s.CreatedMs, s.Source })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(s => new SuppressionEntry(s.GroupId, s.Kind, s.Value, s.CioId, Time(s.CreatedMs)) { Source = s.Source })];
    }

    /// <summary>Stored milliseconds as a time; a value no calendar holds (written before times were bounded) reads as the nearest one.</summary>
    private static DateTimeOffset Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));

    internal static async Task<Person?> FindAsync(PeopleAdminDbContext db, int workspaceId, PersonReference reference, CancellationToken cancellationToken)
    {
        var mode = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (IdentifierMode?)w.Settings.Identifiers).FirstOrDefaultAsync(cancellationToken);
        if (mode is null)
        {
            return null;
        }

        var people = db.People.AsNoTracking().Where(p => p.WorkspaceId == workspaceId);
        return reference.Kind switch
        {
            ReferenceKind.CioId => await people.FirstOrDefaultAsync(p => p.CioId == PersonReference.StripCioPrefix(reference.Value), cancellationToken),
            ReferenceKind.Id => await people.FirstOrDefaultAsync(p => p.ExternalId == reference.Value, cancellationToken),
            _ when mode == IdentifierMode.EmailOrId => await people.FirstOrDefaultAsync(p => p.EmailNormalized == Person.NormalizeEmail(reference.Value) && p.EmailIsIdentifier == true, cancellationToken),
            _ => null,
        };
    }

    private static async Task<IReadOnlyList<SegmentSummary>> PersonSegmentsAsync(PeopleAdminDbContext db, Person person, CancellationToken cancellationToken)
    {
        var segments = await db.SegmentMemberships.AsNoTracking()
            .Where(m => m.WorkspaceId == person.WorkspaceId && m.PersonId == person.Id)
            .Join(db.Segments, m => new { m.WorkspaceId, Id = m.SegmentId }, s => new { s.WorkspaceId, s.Id }, (m, s) => s)
            .OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, s.Description, s.CreatedMs, Members = db.SegmentMemberships.Count(m => m.WorkspaceId == s.WorkspaceId && m.SegmentId == s.Id) })
            .ToListAsync(cancellationToken);
        return [.. segments.Select(s => new SegmentSummary(s.Id, s.Name, s.Description, Time(s.CreatedMs), s.Members))];
    }
}

using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// The people store's data access for the rules: EF Core's provider-neutral queries, and the provider's everyday path
/// (<see cref="IEverydayStore"/>) for what identify and events do most. The rules never query or write the context
/// themselves: everything goes through here. Entities it returns are tracked (by the everyday path for everyday work,
/// by EF Core's change tracker once anything else is done: see <see cref="IEverydayStore.UseChangeTracker"/>); the
/// writer saves after each operation.
/// </summary>
internal sealed class PeopleStore(PeopleAdminDbContext db, IEverydayStore hot)
{
    public Task<Person?> FindByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) => hot.FindPersonByCioIdAsync(workspaceId, cioId, ct);

    public Task<Person?> FindByExternalIdAsync(int workspaceId, string id, CancellationToken ct) => hot.FindPersonByExternalIdAsync(workspaceId, id, ct);

    /// <summary>By the email identifier: only in <c>email_or_id</c>, where <see cref="Person.EmailIsIdentifier"/> is set.</summary>
    public Task<Person?> FindByEmailAsync(int workspaceId, string email, CancellationToken ct) =>
        hot.FindPersonByEmailKeyAsync(workspaceId, Person.NormalizeEmail(email), ct);

    public Task<Person?> FindAsync(int workspaceId, IdentifierMode mode, PersonReference reference, CancellationToken ct) => reference.Kind switch
    {
        ReferenceKind.CioId => FindByCioIdAsync(workspaceId, PersonReference.StripCioPrefix(reference.Value), ct),
        ReferenceKind.Id => FindByExternalIdAsync(workspaceId, reference.Value, ct),
        _ when mode == IdentifierMode.EmailOrId => FindByEmailAsync(workspaceId, reference.Value, ct),

        // In id_only every reference but cio_ is an id, as PersonReference.Classify would have made it.
        _ => FindByExternalIdAsync(workspaceId, reference.Value, ct),
    };

    public Task<Person?> FindByIdentifierAsync(int workspaceId, IdentifierKind kind, string value, CancellationToken ct) =>
        kind == IdentifierKind.Id ? FindByExternalIdAsync(workspaceId, value, ct) : FindByEmailAsync(workspaceId, value, ct);

    /// <summary>A new person with the workspace's next cio_id, written at the next save (then it has its key).</summary>
    public Person NewPerson(Workspace workspace, long nowMs)
    {
        var person = Person.New(workspace, nowMs);
        hot.AddPerson(person);
        return person;
    }

    /// <summary>Puts back a person that a merge retired, with its own cio_id.</summary>
    public async Task<Person> RestorePersonAsync(Person person, CancellationToken ct)
    {
        hot.UseChangeTracker();
        db.People.Add(person);
        await hot.SaveAsync(ct);
        return person;
    }

    /// <summary>Saves the tracked changes (with prepared statements when they are everyday ones).</summary>
    public Task SaveAsync(CancellationToken ct) => hot.SaveAsync(ct);

    public Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(Person person, CancellationToken ct) => hot.LoadAttributesAsync(person, ct);

    public void AddAttribute(PersonAttribute attribute) => hot.AddAttribute(attribute);

    public void RemoveAttribute(PersonAttribute attribute) => hot.RemoveAttribute(attribute);

    public void AddActivity(Activity activity) => hot.AddActivity(activity);

    // Suppression list.

    public async Task<List<Suppression>> FindSuppressionsAsync(int workspaceId, IReadOnlyCollection<(IdentifierKind Kind, string Value)> identifiers, CancellationToken ct)
    {
        if (identifiers.Count == 0 || !hot.AnySuppressions(workspaceId))
        {
            return [];
        }

        // Nearly always none is: one indexed probe each, and the query for the rows only when one is.
        var any = false;
        foreach (var (kind, value) in identifiers)
        {
            if (hot.IsSuppressed(workspaceId, kind, Suppression.KeyOf(kind, value)))
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return [];
        }

        var ids = identifiers.Where(i => i.Kind == IdentifierKind.Id).Select(i => i.Value).ToList();
        var emails = identifiers.Where(i => i.Kind == IdentifierKind.Email).Select(i => Person.NormalizeEmail(i.Value)).ToList();
        return await db.Suppressions
            .Where(s => s.WorkspaceId == workspaceId
                && ((s.Kind == IdentifierKind.Id && ids.Contains(s.ValueKey)) || (s.Kind == IdentifierKind.Email && emails.Contains(s.ValueKey))))
            .ToListAsync(ct);
    }

    public async Task<long> NextSuppressionGroupAsync(int workspaceId, CancellationToken ct) =>
        (await db.Suppressions.Where(s => s.WorkspaceId == workspaceId).MaxAsync(s => (long?)s.GroupId, ct) ?? 0) + 1;

    public void AddSuppression(Suppression suppression)
    {
        db.Suppressions.Add(suppression);
        hot.SuppressionAdded(suppression.WorkspaceId);
    }

    public Task<List<Suppression>> FindSuppressionGroupAsync(int workspaceId, long groupId, CancellationToken ct) =>
        db.Suppressions.Where(s => s.WorkspaceId == workspaceId && s.GroupId == groupId).ToListAsync(ct);

    public Task<Suppression?> FindSuppressionByCioIdAsync(int workspaceId, string cioId, CancellationToken ct) =>
        db.Suppressions.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.CioId == cioId, ct);

    public void RemoveSuppressions(IEnumerable<Suppression> suppressions) => db.Suppressions.RemoveRange(suppressions);

    // Settings guard and mode switch.

    public async Task<List<Conflict>> FindSharedEmailsAsync(int workspaceId, CancellationToken ct)
    {
        var shared = await db.People
            .Where(p => p.WorkspaceId == workspaceId && p.EmailNormalized != null)
            .GroupBy(p => p.EmailNormalized)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToListAsync(ct);
        if (shared.Count == 0)
        {
            return [];
        }

        var people = await db.People.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && shared.Contains(p.EmailNormalized))
            .OrderBy(p => p.EmailNormalized).ThenBy(p => p.Id)
            .Select(p => new { p.CioId, p.Email })
            .ToListAsync(ct);
        return [.. people.Select(p => new Conflict(p.CioId, "email", p.Email!, "another person has the same email"))];
    }

    public async Task<List<Conflict>> FindPeopleWithSuppressedEmailsAsync(int workspaceId, CancellationToken ct)
    {
        var people = await db.People.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.EmailNormalized != null
                && db.Suppressions.Any(s => s.WorkspaceId == workspaceId && s.Kind == IdentifierKind.Email && s.ValueKey == p.EmailNormalized))
            .OrderBy(p => p.Id)
            .Select(p => new { p.CioId, p.Email })
            .ToListAsync(ct);
        return [.. people.Select(p => new Conflict(p.CioId, "email", p.Email!, "the email is suppressed"))];
    }

    public async Task<List<Conflict>> FindPeopleWithEmailButNoIdAsync(int workspaceId, CancellationToken ct)
    {
        var people = await db.People.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.ExternalId == null)
            .OrderBy(p => p.Id)
            .Select(p => new { p.CioId, p.Email })
            .ToListAsync(ct);
        return [.. people.Select(p => new Conflict(p.CioId, "email", p.Email ?? "", "the person has no id and would be left without an identifier"))];
    }

    /// <summary>People holding one of <paramref name="lowerValues"/> (compared case-insensitively) as an identifier.</summary>
    public async Task<List<Conflict>> FindHoldersOfValuesAsync(int workspaceId, IReadOnlyCollection<string> lowerValues, bool emailIsIdentifier, CancellationToken ct)
    {
        // ToLower() runs as SQL lower(), not in .NET: no culture applies (CA1304 does not fit a query).
#pragma warning disable CA1304, CA1311
        var byId = await db.People.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.ExternalId != null && lowerValues.Contains(p.ExternalId.ToLower()))
            .OrderBy(p => p.Id)
            .Select(p => new { p.CioId, Value = p.ExternalId! })
            .ToListAsync(ct);
#pragma warning restore CA1304, CA1311
        var conflicts = byId.Select(p => new Conflict(p.CioId, "id", p.Value, "the person holds this value as their id")).ToList();
        if (emailIsIdentifier)
        {
            var byEmail = await db.People.AsNoTracking()
                .Where(p => p.WorkspaceId == workspaceId && p.EmailNormalized != null && lowerValues.Contains(p.EmailNormalized))
                .OrderBy(p => p.Id)
                .Select(p => new { p.CioId, Value = p.Email! })
                .ToListAsync(ct);
            conflicts.AddRange(byEmail.Select(p => new Conflict(p.CioId, "email", p.Value, "the person holds this value as their email")));
        }

        return conflicts;
    }

    /// <summary>Switches the email uniqueness of every person of the workspace to the identifier mode.</summary>
    public Task SetEmailUniquenessAsync(int workspaceId, IdentifierMode mode, CancellationToken ct)
    {
        hot.UseChangeTracker();
        return mode == IdentifierMode.EmailOrId
            ? db.People.Where(p => p.WorkspaceId == workspaceId && p.EmailNormalized != null).ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailIsIdentifier, true), ct)
            : db.People.Where(p => p.WorkspaceId == workspaceId && p.EmailIsIdentifier != null).ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailIsIdentifier, (bool?)null), ct);
    }

    public void AddSettingsChange(SettingsChange change) => db.SettingsChanges.Add(change);

    /// <summary>Whether each named person matches <paramref name="filter"/> now; people who no longer exist are absent.</summary>
    public Task<Dictionary<string, bool>> MatchAsync(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds, CancellationToken ct) =>
        hot.MatchAsync(workspaceId, filter, cioIds, ct);

    // Delete, merge and undo.

    /// <summary>Deletes a person; attributes, devices and memberships go with them (cascades), their entries stay stripped of data.</summary>
    public async Task DeletePersonAsync(Person person, CancellationToken ct)
    {
        hot.UseChangeTracker();
        await hot.SaveAsync(ct);
        await db.Activities.Where(a => a.WorkspaceId == person.WorkspaceId && a.PersonId == person.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.PersonId, (long?)null).SetProperty(a => a.Name, (string?)null)
                .SetProperty(a => a.Data, (string?)null).SetProperty(a => a.AnonymousId, (string?)null), ct);
        // Forget the person's tracked rows, but nothing else: the workspace (its cio_id counter) stays tracked.
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.Entity is Person p && p.Id == person.Id
                || entry.Entity is PersonAttribute a && a.PersonId == person.Id
                || entry.Entity is Device d && d.PersonId == person.Id
                || entry.Entity is SegmentMembership m && m.PersonId == person.Id)
            {
                entry.State = EntityState.Detached;
            }
        }

        await db.People.Where(p => p.WorkspaceId == person.WorkspaceId && p.Id == person.Id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Removes a person that a merge retires; what should survive was moved first.</summary>
    public async Task RemoveMergedPersonAsync(Person person, CancellationToken ct)
    {
        hot.UseChangeTracker();
        db.People.Remove(person);
        await hot.SaveAsync(ct);
    }

    public Task<List<long>> ActivityIdsOfAsync(Person person, CancellationToken ct) =>
        db.Activities.Where(a => a.WorkspaceId == person.WorkspaceId && a.PersonId == person.Id).Select(a => a.Id).ToListAsync(ct);

    public async Task MoveActivityAsync(IReadOnlyCollection<long> ids, Person from, Person to, CancellationToken ct)
    {
        hot.UseChangeTracker();
        // One JSON parameter (json_each) rather than a parameter per id: a merge moves tens of thousands of entries.
        await db.Activities.Where(a => a.WorkspaceId == from.WorkspaceId && a.PersonId == from.Id && EF.Parameter(ids).Contains(a.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.PersonId, to.Id), ct);

        // Entries still tracked with the old person would otherwise be set to null when that person is removed.
        foreach (var entry in db.ChangeTracker.Entries<Activity>().Where(e => e.Entity.PersonId == from.Id).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public Task<List<Device>> DevicesOfAsync(Person person, CancellationToken ct) =>
        db.Devices.Where(d => d.WorkspaceId == person.WorkspaceId && d.PersonId == person.Id).ToListAsync(ct);

    public Task<Device?> FindDeviceAsync(int workspaceId, string token, CancellationToken ct) =>
        db.Devices.FirstOrDefaultAsync(d => d.WorkspaceId == workspaceId && d.Token == token, ct);

    public void AddDevice(Device device) => db.Devices.Add(device);

    public void RemoveDevice(Device device) => db.Devices.Remove(device);

    public Task<List<SegmentMembership>> MembershipsOfAsync(Person person, CancellationToken ct) =>
        db.SegmentMemberships.Where(m => m.WorkspaceId == person.WorkspaceId && m.PersonId == person.Id).ToListAsync(ct);

    public Task<SegmentMembership?> FindMembershipAsync(int segmentId, Person person, CancellationToken ct) =>
        db.SegmentMemberships.FirstOrDefaultAsync(m => m.WorkspaceId == person.WorkspaceId && m.SegmentId == segmentId && m.PersonId == person.Id, ct);

    public void AddMembership(SegmentMembership membership) => db.SegmentMemberships.Add(membership);

    public void RemoveMembership(SegmentMembership membership) => db.SegmentMemberships.Remove(membership);

    public Task<List<int>> ExistingSegmentIdsAsync(int workspaceId, IReadOnlyCollection<int> ids, CancellationToken ct) =>
        db.Segments.Where(s => s.WorkspaceId == workspaceId && ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);

    public async Task<MergeRecord> AddMergeRecordAsync(MergeRecord record, CancellationToken ct)
    {
        hot.UseChangeTracker();
        db.MergeRecords.Add(record);
        await hot.SaveAsync(ct);
        return record;
    }

    public Task<MergeRecord?> FindMergeRecordAsync(int workspaceId, long id, CancellationToken ct) =>
        db.MergeRecords.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.Id == id, ct);

    /// <summary>The merge, not undone, that retired <paramref name="cioId"/>, if any.</summary>
    public Task<MergeRecord?> FindMergeRetiringAsync(int workspaceId, string cioId, CancellationToken ct) =>
        db.MergeRecords.Where(m => m.WorkspaceId == workspaceId && m.SecondaryCioId == cioId && m.UndoneMs == null).OrderByDescending(m => m.Id).FirstOrDefaultAsync(ct);

    // Events and anonymous activity.

    public Task<bool> EventIdSeenAsync(int workspaceId, string eventId, CancellationToken ct) => hot.EventIdSeenAsync(workspaceId, eventId, ct);

    /// <summary>The person whose <c>anonymous_id</c> attribute is this value (the most recently set), if any.</summary>
    public async Task<Person?> FindByAnonymousIdAsync(int workspaceId, string anonymousId, CancellationToken ct)
    {
        hot.UseChangeTracker();
        var personId = await db.PersonAttributes
            .Where(a => a.WorkspaceId == workspaceId && a.Name == ReservedKeys.AnonymousId && a.TextValue == anonymousId)
            .OrderByDescending(a => a.SetMs)
            .Select(a => (long?)a.PersonId)
            .FirstOrDefaultAsync(ct);
        return personId is null ? null : await db.People.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Id == personId, ct);
    }

    /// <summary>Gives a person the anonymous events of their anonymous_id since <paramref name="sinceSeconds"/>; answers how many.</summary>
    public Task<int> AttachAnonymousEventsAsync(int workspaceId, string anonymousId, Person person, long sinceSeconds, CancellationToken ct) =>
        db.Activities
            .Where(a => a.WorkspaceId == workspaceId && a.AnonymousId == anonymousId && a.PersonId == null && a.Timestamp >= sinceSeconds)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.PersonId, person.Id).SetProperty(a => a.CioId, person.CioId), ct);

    // Segments.

    public Task<Segment?> FindSegmentAsync(int workspaceId, int id, CancellationToken ct) =>
        db.Segments.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, ct);

    public Task<bool> SegmentNameTakenAsync(int workspaceId, string name, int exceptId, CancellationToken ct) =>
        db.Segments.AnyAsync(s => s.WorkspaceId == workspaceId && s.Name == name && s.Id != exceptId, ct);

    public async Task<Segment> AddSegmentAsync(Segment segment, CancellationToken ct)
    {
        db.Segments.Add(segment);
        await hot.SaveAsync(ct);
        return segment;
    }

    public void RemoveSegment(Segment segment) => db.Segments.Remove(segment);

    // Forms.

    /// <summary>A form with its fields, tracked by EF Core (forms are not everyday work).</summary>
    public Task<Forms.Form?> FindFormAsync(int workspaceId, string formId, CancellationToken ct)
    {
        hot.UseChangeTracker();
        return db.Forms.Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.FormId == formId, ct);
    }

    public Task<int> CountFormsAsync(int workspaceId, CancellationToken ct) => db.Forms.CountAsync(f => f.WorkspaceId == workspaceId, ct);

    public void AddForm(Forms.Form form) => db.Forms.Add(form);

    public Task<Forms.Form?> FindFormAsync(int workspaceId, long formRowId, CancellationToken ct)
    {
        hot.UseChangeTracker();
        return db.Forms.Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.Id == formRowId, ct);
    }

    /// <summary>Adds a form and saves it, so that it has its row id.</summary>
    public async Task<Forms.Form> AddFormAsync(Forms.Form form, CancellationToken ct)
    {
        hot.UseChangeTracker();
        db.Forms.Add(form);
        await hot.SaveAsync(ct);
        return form;
    }

    public void RemoveForm(Forms.Form form) => db.Forms.Remove(form);
}

using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Forms;

public sealed record FormSummary(long Id, string FormId, string Name, bool Enabled, long Submissions, DateTimeOffset? LastSubmission, int FieldCount);

public sealed record FormFieldDetails(string Name, FormFieldRole Role, string? AttributeName, DateTimeOffset FirstSeen);

public sealed record FormDetails(long Id, string FormId, string Name, bool Enabled, string? SuccessUrl, long Submissions, DateTimeOffset? LastSubmission, IReadOnlyList<FormFieldDetails> Fields);

/// <summary>A field's mapping as the Forms page edits it.</summary>
public sealed record FormFieldMapping(string Name, FormFieldRole Role, string? AttributeName);

/// <summary>What the Forms page changes on a form; fields not listed keep their mapping.</summary>
public sealed record FormChange(string Name, bool Enabled, string? SuccessUrl, IReadOnlyList<FormFieldMapping> Fields);

/// <summary>
/// The Forms page's reads and edits. Forms are not people, so these writes happen outside the single writer (on a
/// context of their own, waiting on SQLite's busy timeout); submissions, which change people, go through
/// <see cref="SubmitFormOperation"/>. Uniqueness of a form id is the database's index.
/// </summary>
public sealed class FormsService(IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider clock)
{
    public async Task<IReadOnlyList<FormSummary>> ListAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Forms.AsNoTracking()
            .Where(f => f.WorkspaceId == workspaceId)
            .OrderBy(f => f.Name).ThenBy(f => f.Id)
            .Select(f => new { f.Id, f.FormId, f.Name, f.Enabled, f.Submissions, f.LastSubmissionMs, Fields = f.Fields.Count })
            .ToListAsync(ct);
        return [.. rows.Select(f => new FormSummary(f.Id, f.FormId, f.Name, f.Enabled, f.Submissions, Time(f.LastSubmissionMs), f.Fields))];
    }

    public async Task<FormDetails?> GetAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return Details(await db.Forms.AsNoTracking().Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.Id == id, ct));
    }

    /// <summary>The form as the hosted action needs it (enabled, success URL), by the id submissions name it with.</summary>
    public async Task<FormDetails?> FindByFormIdAsync(int workspaceId, string formId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return Details(await db.Forms.AsNoTracking().Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.FormId == formId, ct));
    }

    /// <summary>Creates a form with its name and id (made from the name when not given); answers its row id.</summary>
    public async Task<(long? Id, RequestError? Error)> CreateAsync(int workspaceId, string name, string? formId, CancellationToken ct)
    {
        var id = string.IsNullOrWhiteSpace(formId) ? FormRules.Slug(name) : formId;
        if ((FormRules.ValidateName(name) ?? FormRules.ValidateFormId(id)) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Forms.CountAsync(f => f.WorkspaceId == workspaceId, ct) >= FormRules.MaxFormsPerWorkspace)
        {
            return (null, new RequestError(ErrorKind.Invalid, "form_id", $"the workspace holds {FormRules.MaxFormsPerWorkspace:N0} forms, the limit; delete one first"));
        }

        var form = new Form { WorkspaceId = workspaceId, FormId = id, Name = name.Trim(), CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        db.Forms.Add(form);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return (null, new RequestError(ErrorKind.Conflict, "form_id", $"a form with the id \"{id}\" already exists in this workspace"));
        }

        return (form.Id, null);
    }

    /// <summary>Renames, turns on or off, sets the success URL and maps fields; refused whole when anything is wrong.</summary>
    public async Task<RequestError?> UpdateAsync(int workspaceId, long id, FormChange change, CancellationToken ct)
    {
        if ((FormRules.ValidateName(change.Name) ?? FormRules.ValidateSuccessUrl(change.SuccessUrl)) is { } invalid)
        {
            return invalid;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var mode = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (IdentifierMode?)w.Settings.Identifiers).FirstOrDefaultAsync(ct);
        var form = await db.Forms.Include(f => f.Fields).FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.Id == id, ct);
        if (form is null || mode is null)
        {
            return new RequestError(ErrorKind.NotFound, "form", "the form no longer exists");
        }

        foreach (var mapping in change.Fields)
        {
            if (form.Fields.FirstOrDefault(f => f.Name == mapping.Name) is { } field)
            {
                field.Role = mapping.Role;
                field.AttributeName = mapping.Role == FormFieldRole.Attribute && !string.IsNullOrWhiteSpace(mapping.AttributeName) && mapping.AttributeName.Trim() != mapping.Name
                    ? mapping.AttributeName.Trim()
                    : null;
            }
        }

        if (FormRules.ValidateMapping(form.Fields, mode.Value) is { } badMapping)
        {
            return badMapping;
        }

        form.Name = change.Name.Trim();
        form.Enabled = change.Enabled;
        form.SuccessUrl = string.IsNullOrWhiteSpace(change.SuccessUrl) ? null : change.SuccessUrl.Trim();
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Deletes a form and its mapping; people it added stay. Answers false when there was no such form.</summary>
    public async Task<bool> DeleteAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Forms.Where(f => f.WorkspaceId == workspaceId && f.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    private static FormDetails? Details(Form? form) => form is null ? null : new FormDetails(
        form.Id,
        form.FormId,
        form.Name,
        form.Enabled,
        form.SuccessUrl,
        form.Submissions,
        Time(form.LastSubmissionMs),
        [.. form.Fields.OrderBy(f => f.Id).Select(f => new FormFieldDetails(f.Name, f.Role, f.AttributeName, DateTimeOffset.FromUnixTimeMilliseconds(f.FirstSeenMs)))]);

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
